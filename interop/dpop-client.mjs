// A DPoP client made of panva's dpop (proofs) and jose (reading the token):
//   node dpop-client.mjs BASE_URL LOGIN_PAYLOAD ALG
// Logs in at BASE_URL/getToken with a proof, then calls /me the ways RFC 9449 allows and forbids.
// Answers the server's use_dpop_nonce once by retrying with its DPoP-Nonce. Prints one JSON object
// of what each step got; exit 0 whatever the server answered (the Java test judges), 2 on a crash.
import { generateKeyPair, generateProof, calculateThumbprint } from 'dpop';
import { decodeJwt } from 'jose';

const [base, payload, alg] = process.argv.slice(2);
const out = {};
let nonce;

async function call(method, path, headers, body) {
  const r = await fetch(base + path, { method, headers, body });
  const text = await r.text();
  if (r.headers.get('dpop-nonce')) nonce = r.headers.get('dpop-nonce');
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, wwwAuthenticate: r.headers.get('www-authenticate') };
}

// With a proof made fresh for each attempt; one retry when the server asks for its nonce.
async function withProof(keypair, method, path, token, scheme = 'DPoP', body) {
  for (let attempt = 0; ; attempt++) {
    const proof = await generateProof(keypair, base + path, method, nonce, token);
    const headers = { DPoP: proof };
    if (token) headers.Authorization = `${scheme} ${token}`;
    const r = await call(method, path, headers, body);
    const code = r.json?.error?.description?.split(':')[0];
    if (attempt === 0 && code === 'use_dpop_nonce') { out.nonceAsked = (out.nonceAsked || 0) + 1; continue; }
    return { ...r, proof };
  }
}

try {
  const keypair = await generateKeyPair(alg);
  const login = await withProof(keypair, 'POST', '/getToken', undefined, undefined, payload);
  out.login = { status: login.status, tokenType: login.json?.data?.token_type };
  const token = login.json?.data?.access_token;
  const cnf = decodeJwt(token).cnf;
  out.boundToOurKey = cnf?.jkt === await calculateThumbprint(keypair.publicKey);

  const me = await withProof(keypair, 'GET', '/me', token);
  out.me = { status: me.status, user: me.json?.data?.user_id };
  const replay = await call('GET', '/me', { Authorization: `DPoP ${token}`, DPoP: me.proof });
  out.replayedProof = { status: replay.status, description: replay.json?.error?.description };
  const wrongHtu = await call('GET', '/me', { Authorization: `DPoP ${token}`,
    DPoP: await generateProof(keypair, base + '/elsewhere', 'GET', nonce, token) });
  out.wrongHtu = { status: wrongHtu.status, description: wrongHtu.json?.error?.description };
  const wrongHtm = await call('GET', '/me', { Authorization: `DPoP ${token}`,
    DPoP: await generateProof(keypair, base + '/me', 'POST', nonce, token) });
  out.wrongHtm = { status: wrongHtm.status, description: wrongHtm.json?.error?.description };
  const stranger = await generateKeyPair(alg);
  const otherKey = await call('GET', '/me', { Authorization: `DPoP ${token}`,
    DPoP: await generateProof(stranger, base + '/me', 'GET', nonce, token) });
  out.otherKey = { status: otherKey.status, description: otherKey.json?.error?.description };
  const asBearer = await call('GET', '/me', { Authorization: `Bearer ${token}` });
  out.asBearer = { status: asBearer.status, description: asBearer.json?.error?.description, wwwAuthenticate: asBearer.wwwAuthenticate };
  console.log(JSON.stringify(out));
} catch (e) {
  console.error(`dpop client crashed: ${e.stack}`);
  process.exit(2);
}
