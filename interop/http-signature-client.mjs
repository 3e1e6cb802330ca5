// Signs requests with the http-message-signatures package (RFC 9421) as a Signet session would:
//   node http-signature-client.mjs BASE_URL SESSION_ID ED25519_PKCS8_PEM_FILE
// GET /me; POST /api/transfers with a body (Content-Digest covered), checked by the decision API
// (sent to /decisions/api/transfers, signed as the gateway's /api/transfers); the GET again as it
// was (a replay); and a POST whose body changed after signing. Prints one JSON object of what each
// step got; exit 0 whatever the server answered (the Java test judges), 2 on a crash.
import { readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { httpbis, createSigner } from 'http-message-signatures';

const [base, sessionId, keyFile] = process.argv.slice(2);
const key = createSigner(readFileSync(keyFile, 'utf8'), 'ed25519', sessionId);

async function signed(method, path, body) {
  const headers = {};
  const fields = ['@method', '@target-uri'];
  if (body) {
    headers['content-type'] = 'application/json';
    headers['content-digest'] = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
    fields.push('content-digest');
  }
  const request = { method, url: base + path, headers };
  const out = await httpbis.signMessage({
    key, fields, params: ['created', 'keyid', 'alg', 'nonce'],
    paramValues: { nonce: randomBytes(16).toString('base64url') },
  }, request);
  return out.headers;
}

async function send(method, path, headers, body) {
  const r = await fetch(base + path, { method, headers, body });
  const json = await r.json().catch(() => null);
  return { status: r.status, scheme: json?.data?.scheme ?? r.headers.get('x-signet-scheme'), user: json?.data?.user_id,
    description: json?.error?.description };
}

try {
  const out = {};
  const getHeaders = await signed('GET', '/me');
  out.signatureInput = getHeaders['Signature-Input'] ?? getHeaders['signature-input'];
  out.me = await send('GET', '/me', getHeaders);
  const body = JSON.stringify({ amount: '1' });
  out.post = await send('POST', '/decisions/api/transfers?asset=btc', await signed('POST', '/api/transfers?asset=btc', body), body);
  out.replay = await send('GET', '/me', getHeaders);
  out.tampered = await send('POST', '/decisions/api/transfers?asset=btc',
    await signed('POST', '/api/transfers?asset=btc', body), JSON.stringify({ amount: '9' }));
  console.log(JSON.stringify(out));
} catch (e) {
  console.error(`http-message-signatures client crashed: ${e.stack}`);
  process.exit(2);
}
