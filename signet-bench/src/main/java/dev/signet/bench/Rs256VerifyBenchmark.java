package dev.signet.bench;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.scheme.service.ServiceTokenVerifier;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * A seed 002 service token (RS256, 2048-bit key): Signet's full verification next to the bare JDK
 * RSA check of the same bytes and next to Nimbus JOSE+JWT parsing and verifying the same token.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class Rs256VerifyBenchmark {
  static final String AUD = "api.happypathology.com";
  static final int POOL = 30_000;

  Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  RsaPrivateKey key;
  TokenPool pool;
  ServiceTokenVerifier signet;
  byte[] signingInput;
  byte[] signature;
  Signature jdk;
  RSASSAVerifier nimbus;

  @Setup(Level.Trial)
  public void keysAndTokens() throws Exception {
    key = RsaPrivateKey.generate(2048, new SecureRandom());
    ServiceTokenSigner signer = new ServiceTokenSigner("org-1", "k1", AUD, key, clock, Duration.ofMinutes(10));
    // RSA signing is slow; sign the pool on every core.
    String[] signed = IntStream.range(0, POOL).parallel().mapToObj(i -> signer.sign("user-" + i)).toArray(String[]::new);
    pool = new TokenPool(POOL, i -> signed[i]);
    String token = pool.any();
    signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    signature = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    jdk = Signature.getInstance("SHA256withRSA");
    jdk.initVerify(key.publicKey().jdkKey());
    nimbus = new RSASSAVerifier(key.publicKey().jdkKey());
  }

  @Setup(Level.Iteration)
  public void freshReplayStore() {
    pool.rewind();
    RegisteredKey registered = new RegisteredKey(JwsKey.rs256(key.publicKey()), "org-1", null, null);
    KeyRef ref = new KeyRef(Scheme.SERVICE, "org-1", "k1");
    signet = new ServiceTokenVerifier(r -> r.equals(ref) ? Optional.of(registered) : Optional.empty(),
        new InMemoryReplayStore(clock, POOL + 1), clock, VerifierPolicy.defaults().withAudience(AUD));
  }

  @Benchmark
  public Principal signetFullVerification() throws VerificationException {
    return signet.verify(new AuthRequest("GET", "/me", null, pool.next()));
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
    if (!jwt.verify(nimbus)) {
      throw new IllegalStateException("nimbus refused the token");
    }
    return jwt.getJWTClaimsSet();
  }
}
