// Signs with the official Mixin Node SDK, given a newer-format keystore file:
//   node mixin-sign.mjs token KEYSTORE METHOD URI BODY   -> signAuthenticationToken (or the OAuth variant)
//   node mixin-sign.mjs pin KEYSTORE PIN_HEX             -> signEd25519PIN
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { signAccessToken, signEd25519PIN } from '@mixin.dev/mixin-node-sdk';

const [mode, keystoreFile, ...rest] = process.argv.slice(2);
const keystore = JSON.parse(readFileSync(keystoreFile, 'utf8'));
let out;
if (mode === 'token') {
  const [method, uri, body] = rest;
  out = signAccessToken(method, uri, body ?? '', randomUUID(), keystore);
} else if (mode === 'pin') {
  out = signEd25519PIN(rest[0], keystore);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
if (!out) {
  console.error('the SDK produced nothing: check the keystore');
  process.exit(1);
}
console.log(out);
