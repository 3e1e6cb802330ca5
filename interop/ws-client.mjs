// WebSocket clients of Signet's WebSocket routes, on the `ws` package; each prints one JSON line:
//   node ws-client.mjs raw URL TOKEN|- [PROTOCOL]  -> a raw client: "headers", a binary echo, a ping
//   node ws-client.mjs mixin KEYSTORE URL          -> the Mixin Node SDK's own Blaze client code
//                                                     (signs GET / with an empty body, Mixin-Blaze-1,
//                                                     gzip JSON frames), pointed at URL
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { websocket, sendRaw } from '@mixin.dev/mixin-node-sdk/blaze';

const [mode, ...args] = process.argv.slice(2);
const done = (out) => {
  console.log(JSON.stringify(out));
  process.exit(0);
};
setTimeout(() => done({ error: 'timed out' }), 10000);

if (mode === 'raw') {
  const [url, token, protocol] = args;
  const headers = token === '-' ? {} : { Authorization: `Bearer ${token}` };
  const ws = new WebSocket(url, protocol ? [protocol] : [], { headers });
  ws.on('unexpected-response', (req, res) => {
    let body = '';
    res.on('data', (c) => { body += c; });
    res.on('end', () => done({ status: res.statusCode, wwwAuthenticate: res.headers['www-authenticate'] ?? null, body }));
  });
  ws.on('error', (e) => done({ error: e.message }));
  const out = { protocol: null };
  const payload = randomBytes(2048);
  ws.on('open', () => {
    out.protocol = ws.protocol;
    ws.send('headers');
  });
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      out.upstream = JSON.parse(data.toString());
      ws.send(payload);
    } else {
      out.binaryEchoed = Buffer.compare(Buffer.from(data), payload) === 0;
      ws.ping('keep');
    }
  });
  ws.on('pong', (data) => {
    out.pong = data.toString();
    ws.close(4000, 'client done');
  });
  ws.on('close', (code, reason) => done({ ...out, close: code, reason: reason.toString() }));
} else if (mode === 'mixin') {
  const [keystoreFile, url] = args;
  const keystore = JSON.parse(readFileSync(keystoreFile, 'utf8'));
  const ws = websocket(keystore, url, { onMessage: (msg) => done({ protocol: ws.protocol, message: msg }) }, { parse: true });
  ws.on('unexpected-response', (req, res) => done({ status: res.statusCode }));
  ws.on('error', (e) => done({ error: e.message }));
  ws.on('open', () => sendRaw(ws, { id: '00000000-0000-4000-8000-000000000000', action: 'LIST_PENDING_MESSAGES' }));
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
