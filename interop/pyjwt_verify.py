"""Verifies an RS256 JWT with PyJWT (Debian's python3-jwt): pyjwt_verify.py PUBLIC_KEY_PEM_FILE TOKEN AUDIENCE."""
import json
import sys

import jwt

key_file, token, audience = sys.argv[1:4]
with open(key_file, encoding="ascii") as f:
    key = f.read()
try:
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=audience,
                        options={"require": ["exp", "iat", "iss", "sub", "jti", "aud"]})
except jwt.PyJWTError as e:
    print(f"pyjwt refused: {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1)
print(json.dumps(claims))
