package dev.signet.example;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import java.security.Key;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;

/**
 * EdDSA (Ed25519) tokens verified against a JWK set, for Spring's {@code NimbusJwtDecoder}. Nimbus
 * finds a JWK set's keys through Java {@code Key}s, which it makes from RSA and EC keys only: an
 * Ed25519 JWK is matched and then dropped. Here the matched JWK travels inside a {@code Key} to
 * Nimbus's own {@link Ed25519Verifier}. Only EdDSA is accepted.
 */
final class EdDsaJwks {
  private EdDsaJwks() {}

  /** The JWK found for a token, carried where Nimbus expects a Java key. */
  private record JwkKey(OctetKeyPair jwk) implements PublicKey {
    @Override
    public String getAlgorithm() {
      return "Ed25519";
    }

    @Override
    public String getFormat() {
      return null;
    }

    @Override
    public byte[] getEncoded() {
      return null;
    }
  }

  /** Use in {@code NimbusJwtDecoder.withJwkSetUri(uri).jwtProcessorCustomizer(EdDsaJwks::accept)}. */
  static void accept(ConfigurableJWTProcessor<SecurityContext> processor) {
    // The builder's own selector holds the JWK source it made for the URI (fetching and caching).
    JWKSource<SecurityContext> source =
        ((com.nimbusds.jose.proc.JWSVerificationKeySelector<SecurityContext>) processor.getJWSKeySelector()).getJWKSource();
    processor.setJWSKeySelector(selector(source));
    processor.setJWSVerifierFactory(new Factory());
  }

  private static JWSKeySelector<SecurityContext> selector(JWKSource<SecurityContext> source) {
    return (header, context) -> {
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
        return List.of();
      }
      return source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context).stream()
          .filter(OctetKeyPair.class::isInstance).map(j -> new JwkKey((OctetKeyPair) j)).toList();
    };
  }

  private static final class Factory implements JWSVerifierFactory {
    private final JCAContext jca = new JCAContext();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) || !(key instanceof JwkKey k)) {
        throw new JOSEException("only EdDSA tokens with a key from the JWK set are accepted");
      }
      return new Ed25519Verifier(k.jwk().toPublicJWK());
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }
}
