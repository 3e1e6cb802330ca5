// Verifies a JWT with panva/jose: node jose-verify.mjs ALG PUBLIC_KEY_FILE TOKEN [AUDIENCE]
// EdDSA keys are base64url (32 bytes); RS256 keys are SPKI PEM. Exit 0 and the payload as JSON, or 1.
import { readFileSync } from 'node:fs';
import { importJWK, importSPKI, jwtVerify } from 'jose';

const [alg, keyFile, token, audience] = process.argv.slice(2);
const keyText = readFileSync(keyFile, 'utf8').trim();
const key = alg === 'EdDSA'
  ? await importJWK({ kty: 'OKP', crv: 'Ed25519', x: keyText }, 'EdDSA')
  : await importSPKI(keyText, alg);
try {
  const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: [alg], audience });
  console.log(JSON.stringify({ header: protectedHeader, payload }));
} catch (e) {
  console.error(`jose refused: ${e.code}: ${e.message}`);
  process.exit(1);
}
