// A WebSocket upstream built on the `ws` package, for Signet's WebSocket routes:
//   node ws-upstream.mjs   -> prints its port, then serves until killed
// It picks Mixin-Blaze-1 when offered; echoes every message as it came (text or binary); answers
// the text "headers" with the handshake's headers as JSON; answers a gzip JSON
// LIST_PENDING_MESSAGES as Mixin's Blaze does, with one message naming the verified user.
import { WebSocketServer } from 'ws';
import { gzipSync, gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  handleProtocols: (protocols) => (protocols.has('Mixin-Blaze-1') ? 'Mixin-Blaze-1' : false),
});
wss.on('listening', () => console.log(wss.address().port));
wss.on('connection', (ws, req) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary && data.toString() === 'headers') {
      ws.send(JSON.stringify({ url: req.url, headers: req.headers }));
      return;
    }
    if (isBinary && data[0] === 0x1f && data[1] === 0x8b) {
      const msg = JSON.parse(gunzipSync(data).toString());
      if (msg.action === 'LIST_PENDING_MESSAGES') {
        const user = req.headers['x-signet-user'];
        ws.send(gzipSync(JSON.stringify({
          id: msg.id,
          action: 'CREATE_MESSAGE',
          data: {
            category: 'PLAIN_TEXT', message_id: randomUUID(), user_id: user,
            data: Buffer.from('hello ' + user).toString('base64'),
          },
        })));
        return;
      }
    }
    ws.send(data, { binary: isBinary });
  });
});
