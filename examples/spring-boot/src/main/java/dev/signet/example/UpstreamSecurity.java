package dev.signet.example;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.HeaderBearerTokenResolver;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The same application as an upstream behind {@code signet serve} (a proxy route or a gateway using
 * its decision API): {@code /upstream/**} trusts the {@code X-Signet-Identity} token, verified with
 * Spring's own {@link NimbusJwtDecoder} against the server's {@code /.well-known/jwks.json}, not the
 * bare {@code X-Signet-User} headers. On when {@code UPSTREAM_JWKS_URI} is set.
 */
@Configuration
@ConditionalOnExpression("!'${upstream.jwks-uri:}'.isEmpty()")
class UpstreamSecurity {
  @Bean
  @Order(1)
  SecurityFilterChain upstream(HttpSecurity http, @Value("${upstream.jwks-uri}") String jwksUri,
      @Value("${upstream.issuer:signet}") String issuer, @Value("${upstream.audience}") String audience) throws Exception {
    // Signet's identity keys are Ed25519: see EdDsaJwks for the one thing Nimbus needs told.
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUri).jwtProcessorCustomizer(EdDsaJwks::accept).build();
    OAuth2TokenValidator<Jwt> audienceCheck = new JwtClaimValidator<java.util.List<String>>("aud", aud -> aud != null && aud.contains(audience));
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audienceCheck));
    http.securityMatcher("/upstream/**")
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(c -> c.disable())
        .oauth2ResourceServer(o -> o.bearerTokenResolver(new HeaderBearerTokenResolver("X-Signet-Identity"))
            .jwt(j -> j.decoder(decoder)));
    return http.build();
  }
}
