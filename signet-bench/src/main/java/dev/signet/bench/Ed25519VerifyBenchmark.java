package dev.signet.bench;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.JwsKey;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotVerifier;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A mixin-bot EdDSA token: Signet's full verification (parse, key lookup, signature, freshness,
 * request binding, scopes, replay) with the preferred provider (libsodium here), next to the bare
 * signature check of the same signing input by libsodium, BouncyCastle and the JDK, and next to
 * Nimbus JOSE+JWT parsing and verifying the same token. Then signing a token with each provider.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Ed25519VerifyBenchmark {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final int POOL = 40_000;

  Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  Ed25519PrivateKey key;
  TokenPool pool;
  MixinBotVerifier signet;
  byte[] signingInput;
  byte[] signature;
  Signature jdk;
  Ed25519Verifier nimbus;
  byte[] publicKey;
  byte[] seed;
  byte[] secretKey;
  org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint bcPoint;
  MixinBotSigner sodiumSigner;
  MixinBotSigner javaSigner;

  @Setup(Level.Trial)
  public void keysAndTokens() throws Exception {
    key = Ed25519PrivateKey.generate(new SecureRandom());
    MixinBotSigner signer = new MixinBotSigner(UID, SID, JwsSigner.eddsa(key), clock);
    pool = new TokenPool(POOL, i -> signer.sign("GET", "/me", new byte[0]));
    String token = pool.any();
    signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    signature = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    byte[] spki = Base64.getMimeDecoder().decode(key.publicKey().toX509Pem().replaceAll("-----[A-Z ]+-----", ""));
    PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(jdkKey);
    publicKey = key.publicKey().toBytes();
    seed = key.seed();
    secretKey = key.toBytes64();
    bcPoint = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFullExport(publicKey, 0);
    if (SodiumRaw.crypto_sign_verify_detached(signature, signingInput, signingInput.length, publicKey) != 0
        || !key.publicKey().provider().id().equals("libsodium")) {
      throw new IllegalStateException("libsodium is not in use: " + key.publicKey().provider());
    }
    sodiumSigner = signer;
    javaSigner = new MixinBotSigner(UID, SID, JwsSigner.eddsa(key.using(Ed25519Provider.java())), clock);
    nimbus = new Ed25519Verifier(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(key.publicKey().toBytes())).build());
  }

  @Setup(Level.Iteration)
  public void freshReplayStore() {
    pool.rewind();
    RegisteredKey registered = new RegisteredKey(JwsKey.eddsa(key.publicKey()), UID, UID, null);
    KeyRef ref = new KeyRef(Scheme.MIXIN_BOT, UID, SID);
    signet = new MixinBotVerifier(r -> r.equals(ref) ? Optional.of(registered) : Optional.empty(),
        new InMemoryReplayStore(clock, POOL + 1), clock, VerifierPolicy.defaults());
  }

  @Benchmark
  public Principal signetFullVerification() throws VerificationException {
    return signet.verify(new AuthRequest("GET", "/me", null, pool.next()));
  }

  /** The bare native call, as a C program makes it: the ceiling for everything above. */
  @Benchmark
  public int libsodiumRawVerify() {
    return SodiumRaw.crypto_sign_verify_detached(signature, signingInput, signingInput.length, publicKey);
  }

  @Benchmark
  public boolean bouncyCastleRawVerify() {
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, bcPoint, signingInput, 0, signingInput.length);
  }

  /** A whole mixin-bot token (claims, JSON, base64url, SHA-256 of the request, signature) by libsodium. */
  @Benchmark
  public String signTokenLibsodium() {
    return sodiumSigner.sign("GET", "/me", new byte[0]);
  }

  /** The bare signature of the same signing input: the ceilings for the two above. */
  @Benchmark
  public byte[] libsodiumRawSign() {
    byte[] sig = new byte[64];
    SodiumRaw.crypto_sign_detached(sig, null, signingInput, signingInput.length, secretKey);
    return sig;
  }

  @Benchmark
  public byte[] bouncyCastleRawSign() {
    byte[] sig = new byte[64];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, publicKey, 0, signingInput, 0, signingInput.length, sig, 0);
    return sig;
  }

  /** The same by BouncyCastle: what signing cost before the native provider. */
  @Benchmark
  public String signTokenBouncyCastle() {
    return javaSigner.sign("GET", "/me", new byte[0]);
  }

  /** Signet's work without the signature: parse, base64url, strict JSON of header and claims. */
  @Benchmark
  public Claims signetCodecOnly() throws VerificationException {
    return CompactJws.parse(pool.any(), 8192).unverifiedClaims();
  }

  @Benchmark
  public boolean jdkRawVerify() throws Exception {
    jdk.update(signingInput);
    return jdk.verify(signature);
  }

  @Benchmark
  public JWTClaimsSet nimbusParseAndVerify() throws Exception {
    SignedJWT jwt = SignedJWT.parse(pool.any());
    if (!jwt.verify(nimbus) || jwt.getState() != JWSObject.State.VERIFIED) {
      throw new IllegalStateException("nimbus refused the token");
    }
    return jwt.getJWTClaimsSet();
  }
}
