// Verifies a signet serve identity token (X-Signet-Identity) the way an upstream would, with
// panva/jose's remote JWK set: node jose-jwks-verify.mjs JWKS_URL TOKEN ISSUER AUDIENCE
// Exit 0 and {header, payload} as JSON, or 1 with jose's reason.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [jwksUrl, token, issuer, audience] = process.argv.slice(2);
const jwks = createRemoteJWKSet(new URL(jwksUrl));
try {
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: ['EdDSA'], issuer, audience });
  console.log(JSON.stringify({ header: protectedHeader, payload }));
} catch (e) {
  console.error(`jose refused: ${e.code}: ${e.message}`);
  process.exit(1);
}
