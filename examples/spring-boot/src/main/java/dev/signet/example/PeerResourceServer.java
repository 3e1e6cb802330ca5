package dev.signet.example;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtIssuedAtValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The peer a Spring user would pick instead of Signet, in the same application, for {@code
 * bench/peers.sh}: Spring Security's own OAuth 2.0 resource server ({@code oauth2ResourceServer().jwt()},
 * Nimbus), its key configured as users configure one, checking the signature, {@code exp} and
 * {@code iat}, and nothing of the request or of a token's reuse. {@code /rs/eddsa/**} takes EdDSA
 * tokens against one Ed25519 key ({@code peer.eddsa-public-key}, base64url: Nimbus verifies
 * Ed25519 with Tink, told so by {@link EdDsaJwks}); {@code /rs/rs256/**} RS256 tokens against one RSA
 * key ({@code peer.rs256-public-key}, a PEM file: {@code NimbusJwtDecoder.withPublicKey}, the
 * builder Spring documents). Each is on only when its key is set. Spring's {@code iat} check takes
 * tokens issued within 60 s of now ({@code peer.iat-skew}: the benchmark sets an hour, as it sets
 * Signet's acceptance window, so that tokens signed ahead of a run last it).
 */
final class PeerResourceServer {
  private PeerResourceServer() {}

  @Configuration
  @ConditionalOnExpression("!'${peer.eddsa-public-key:}'.isEmpty()")
  static class EdDsa {
    @Bean
    @Order(2)
    SecurityFilterChain eddsaResourceServer(HttpSecurity http, @Value("${peer.eddsa-public-key}") String publicKey,
        @Value("${peer.iat-skew:60s}") java.time.Duration iatSkew) throws Exception {
      OctetKeyPair key = new OctetKeyPair.Builder(Curve.Ed25519, new Base64URL(publicKey)).build();
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.EdDSA, new ImmutableJWKSet<>(new JWKSet(key))));
      EdDsaJwks.accept(processor);
      processor.setJWTClaimsSetVerifier((claims, context) -> { }); // Spring's validators below, as its builders leave it
      return chain(http, "/rs/eddsa/**", new NimbusJwtDecoder(processor), iatSkew);
    }
  }

  @Configuration
  @ConditionalOnExpression("!'${peer.rs256-public-key:}'.isEmpty()")
  static class Rs256 {
    @Bean
    @Order(3)
    SecurityFilterChain rs256ResourceServer(HttpSecurity http, @Value("${peer.rs256-public-key}") Path pem,
        @Value("${peer.iat-skew:60s}") java.time.Duration iatSkew) throws Exception {
      NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(rsa(pem)).signatureAlgorithm(SignatureAlgorithm.RS256).build();
      return chain(http, "/rs/rs256/**", decoder, iatSkew);
    }

    private static RSAPublicKey rsa(Path pem) throws IOException, GeneralSecurityException {
      String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
  }

  /** {@code exp} (and {@code nbf}) with Spring's default skew, and {@code iat} within {@code iatSkew} of now. */
  private static SecurityFilterChain chain(HttpSecurity http, String paths, NimbusJwtDecoder decoder, java.time.Duration iatSkew)
      throws Exception {
    JwtIssuedAtValidator issuedAt = new JwtIssuedAtValidator();
    issuedAt.setClockSkew(iatSkew);
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(), issuedAt));
    http.securityMatcher(paths)
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(c -> c.disable())
        .oauth2ResourceServer(o -> o.jwt(j -> j.decoder(decoder)));
    return http.build();
  }
}
