#!/usr/bin/env python3
"""Writes the checked-in seed corpora of the fuzz targets (FUZZING.md).

Sources: the seeds' own examples (quoted below), the Wycheproof vectors in signet-core's test
resources, and values made here with the RFC 8032 test key the fuzz targets verify with. Files are
named seed-*; findings Jazzer adds (crash-*) are never touched. Rerun after changing a target's input
shape: python3 fuzz/seeds.py
"""
import base64, hashlib, json, os, pathlib, time
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa, x25519, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives import padding as block_padding

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORE = ROOT / "signet-core/src/test/resources/dev/signet"
SERVER = ROOT / "signet-server/src/test/resources/dev/signet/server"
WYCHEPROOF = ROOT / "signet-core/src/test/resources/wycheproof"

# RFC 8032 section 7.1, test 1: the key CompactJwsFuzzTest verifies with.
ED = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
# Seed 000/001/003's example token (RS512) and seed 004's example login payload.
SEED_TOKEN = ("eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE1MzMwOTY0ODUsImlhdCI6MTUyNTMyMDQ4NSwianRpIjoiMjU5NGFkNTct"
              "OWRhZC00MjRmLTg1OTUtYjE0NzI3ZTI0ZTYxIiwic2lkIjoiYzA5Y2YzMTMtN2RlZC00MjVkLWFkM2YtYTFjZTRjZmQ1ZTVlIiwic2ln"
              "IjoiODVkZDIzOGE5ODM0NzE3ZGMxM2QzODQ0ZjYzYTFmZWUxM2Q4MmQyZTZjMmVlNDRlYWM3Yzc5MGY1ZGIyNWY4OCIsInVpZCI6Ijg5"
              "ZTBiZGVlLWMzNTUtNDdmMi05NDVhLWJlNDhiZTg3NTYwNiJ9.PYg6Cx5grs0flJe862R3VLEWKyTZPcXOGYF9RouztgR_mi3kleIzJt4v"
              "CwUZI9F7QrHBFMtTc3_wG_ymnnjsmnm0pBdoON4I-RxeaztIlyc1Ey9lLFe6_ARRUBXo_15ZORilS1hRdMREd84eQOLlO0ChieBPY0tSS"
              "iVqTaFZt3Q")
SEED_LOGIN = ("aliveprotocol:link1:alivedb_login:hive:76092780:0489156ce51562088e21cf7aee70bbdf6832965d:1f281a0d0075575"
              "6a76e6e88f3f84a8f65494dc8d1a37a7a1734575743a3a1d0374e5a63002a43a03cb1c67c94d4c8535625b4ec39394304f7291adaac2eab0ce9")
UID, SID = "89e0bdee-c355-47f2-945a-be48be875606", "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e"
WIF = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"   # the Bitcoin wiki's WIF example
GRAPHENE_PUBLIC = "TST62HMqabMDZ1BPB1hvLcon758gM2KNFkT3ZuVbtHJ62WcHmem7R"


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jws(header, claims, sign=lambda m: ED.sign(m)):
    h = b64u(json.dumps(header, separators=(",", ":")).encode())
    p = b64u(json.dumps(claims, separators=(",", ":")).encode())
    return f"{h}.{p}.{b64u(sign(f'{h}.{p}'.encode()))}"


def write(directory, name, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"seed-{name}").write_bytes(data if isinstance(data, bytes) else data.encode())


def wycheproof(file):
    return json.loads((WYCHEPROOF / file).read_text())


def pem(key, private):
    if private:
        fmt = serialization.PrivateFormat.PKCS8
        return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def main():
    now = 1767225600
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    bot = {"uid": UID, "sid": SID, "iat": now, "exp": now + 300, "jti": "f0e1d2c3-b4a5-4687-9281-706f5e4d3c2b",
           "sig": hashlib.sha256(b"GET/me").hexdigest(), "scp": "FULL"}

    d = CORE / "jwt/CompactJwsFuzzTestInputs/compactJws"
    write(d, "bot-eddsa", jws({"alg": "EdDSA", "typ": "JWT"}, bot))
    write(d, "oauth-eddsa", jws({"alg": "EdDSA", "typ": "JWT"}, {**bot, "aid": "a1b2", "scp": "PROFILE:READ ASSETS:READ"}))
    write(d, "service-rs256", jws({"alg": "RS256", "typ": "JWT", "kid": "k1"},
                                  {"iss": "svc", "sub": "svc", "aud": ["api"], "iat": now, "exp": now + 600, "jti": "j1"},
                                  lambda m: rsa_key.sign(m, padding.PKCS1v15(), hashes.SHA256())))
    write(d, "seed-rs512", SEED_TOKEN)
    for t in wycheproof("json_web_crypto_test.json")["testGroups"]:
        for case in t["tests"]:
            if isinstance(case.get("jws"), str):
                write(d, f"wycheproof-{case['tcId']}", case["jws"])

    d = CORE / "json/StrictJsonFuzzTestInputs/parseObject"
    write(d, "header", '{"alg":"EdDSA","typ":"JWT","kid":"k1"}')
    write(d, "claims", json.dumps(bot))
    write(d, "nested", '{"a":[1,2.5,-3e2,true,false,null,{"b":"\\u00e9\\n"}],"c":{}}')

    keystores = CORE / "keys/KeyParsingFuzzTestInputs/keystore"
    seed_hex = ED.private_bytes_raw().hex()
    pin_token = x25519.X25519PrivateKey.from_private_bytes(bytes(range(32))).public_key().public_bytes_raw()
    write(keystores, "newer", json.dumps({"app_id": UID, "session_id": SID, "server_public_key": pin_token.hex(),
                                          "session_private_key": seed_hex}))
    write(keystores, "oauth", json.dumps({"app_id": UID, "scope": "PROFILE:READ", "authorization_id": SID,
                                          "session_private_key": seed_hex, "pin_token_base64": b64u(pin_token)}))
    write(keystores, "older-ed25519", json.dumps({"client_id": UID, "session_id": SID, "private_key": b64u(
        ED.private_bytes_raw() + ED.public_key().public_bytes_raw()), "pin_token": base64.b64encode(pin_token).decode(),
        "pin": "123456"}))
    write(keystores, "older-rsa", json.dumps({"uid": UID, "session_id": SID, "private_key": rsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode(),
        "pin_token": base64.b64encode(bytes(128)).decode()}))

    d = CORE / "keys/KeyParsingFuzzTestInputs/pemAndText"
    write(d, "ed25519-spki", pem(ED.public_key(), False))
    write(d, "ed25519-pkcs8", pem(ED, True))
    write(d, "ed25519-hex", ED.public_key().public_bytes_raw().hex())
    write(d, "ed25519-b64u", b64u(ED.public_key().public_bytes_raw()))
    write(d, "ed25519-seed-and-public", (ED.private_bytes_raw() + ED.public_key().public_bytes_raw()).hex())
    write(d, "x25519-b64u", b64u(pin_token))
    write(d, "rsa-spki", pem(rsa_key.public_key(), False))
    write(d, "rsa-pkcs8", pem(rsa_key, True))
    write(d, "rsa-pkcs1-private", rsa_key.private_bytes(serialization.Encoding.PEM,
                                                        serialization.PrivateFormat.TraditionalOpenSSL,
                                                        serialization.NoEncryption()))
    write(d, "rsa-pkcs1-public", rsa_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                                   serialization.PublicFormat.PKCS1))
    for i, case in enumerate(c for g in wycheproof("ed25519_test.json")["testGroups"] for c in [g["publicKey"]["pk"]]):
        if i < 8:
            write(d, f"wycheproof-ed25519-pk-{i}", case)

    d = CORE / "keys/KeyParsingFuzzTestInputs/grapheneKeys"
    write(d, "wif", WIF)
    write(d, "graphene-public", GRAPHENE_PUBLIC)
    write(d, "stm-public", "STM" + GRAPHENE_PUBLIC[3:])

    d = CORE / "keys/KeyParsingFuzzTestInputs/signatures"
    tests = [(g, c) for g in wycheproof("ecdsa_secp256k1_sha256_bitcoin_test.json")["testGroups"] for c in g["tests"]]
    for g, c in tests[:24]:
        write(d, f"wycheproof-secp256k1-{c['tcId']}", hashlib.sha256(bytes.fromhex(c["msg"])).digest()
              + bytes.fromhex(c["sig"]))
    login = SEED_LOGIN.split(":")
    write(d, "graphene-compact", hashlib.sha256(":".join(login[:6]).encode()).digest() + bytes.fromhex(login[6]))

    d = CORE / "scheme/graphene/GraphenePayloadFuzzTestInputs/payload"
    write(d, "004", SEED_LOGIN)

    d = CORE / "codec/CodecFuzzTestInputs"
    write(d / "hex", "text", ED.public_key().public_bytes_raw().hex())
    write(d / "base64url", "text", b64u(ED.public_key().public_bytes_raw()))
    write(d / "base64url", "padded", base64.urlsafe_b64encode(b"\x00\x01").decode())
    write(d / "base58", "wif", WIF)

    # Seed 003's PIN block, made with PinFuzzTest's keys: AES-256-CBC under the X25519 agreement of
    # the session key (converted) and the PIN key, random IV first, base64url.
    session_seed = bytes.fromhex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7")
    session_x = x25519.X25519PrivateKey.from_private_bytes(hashlib.sha512(session_seed).digest()[:32])
    pin_key = x25519.X25519PrivateKey.from_private_bytes(bytes.fromhex(
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
    secret = session_x.exchange(pin_key.public_key())
    d = CORE / "pin/PinFuzzTestInputs/pinBlock"
    for name, pin, it in [("six-digits", b"123456", 1), ("tip-pin", bytes(range(64)), 2**63 + 5)]:
        plain = pin + now.to_bytes(8, "little") + it.to_bytes(8, "little")
        padder = block_padding.PKCS7(128).padder()
        plain = padder.update(plain) + padder.finalize()
        iv = hashlib.sha256(name.encode()).digest()[:16]
        enc = Cipher(algorithms.AES(secret), modes.CBC(iv)).encryptor()
        write(d, name, b64u(iv + enc.update(plain) + enc.finalize()))

    d = SERVER / "config/ConfigFuzzTestInputs/yaml"
    write(d, "minimal", "port: 8080\n")
    write(d, "cluster", "store:\n  type: postgres\n  url: jdbc:postgresql://127.0.0.1:5432/test\nreplay:\n"
                        "  type: redis\n  url: redis://127.0.0.1:6379\nverification:\n  acceptance_window: 120\n")
    write(d, "graphene", "graphene:\n  auth_identifier: alivedb_login\n  networks:\n    hive:\n      prefix: STM\n"
                         "      rpc: [\"https://api.hive.blog\"]\n")
    write(d, "routes", "routes:\n  - prefix: /api/\n    upstream: http://127.0.0.1:9000\n    scopes: [ASSETS:READ]\n"
                       "    pin: false\ndecisions:\n  trusted_proxies: [10.0.0.0/8]\n")

    d = SERVER / "admin/AdminBodyFuzzTestInputs/adminBodies"
    write(d, "user", b"\x00" + json.dumps({"user_id": UID, "name": "alice"}).encode())
    write(d, "session-ed25519", b"\x01" + json.dumps({"public_key": b64u(ED.public_key().public_bytes_raw()),
                                                      "scopes": ["FULL"]}).encode())
    write(d, "session-rsa", b"\x01" + json.dumps({"algorithm": "RS512", "public_key": pem(rsa_key.public_key(), False)}).encode())
    write(d, "session-generated", b"\x01{}")
    write(d, "pin", b"\x02" + json.dumps({"pin": "123456"}).encode())
    write(d, "authorization", b"\x03" + json.dumps({"app_id": UID, "user_id": UID, "scopes": ["PROFILE:READ"],
                                                    "public_key": b64u(ED.public_key().public_bytes_raw())}).encode())
    write(d, "service-key", b"\x04" + json.dumps({"issuer": "svc", "kid": "k1", "algorithm": "RS256",
                                                  "public_key": pem(rsa_key.public_key(), False)}).encode())


if __name__ == "__main__":
    main()
