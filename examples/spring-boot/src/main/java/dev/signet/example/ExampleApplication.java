package dev.signet.example;

import dev.signet.spring.SignetConfigurer;
import dev.signet.verify.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every request but {@code GET /healthz} needs a Signet token from a key listed in {@code $SIGNET_KEYS_FILE};
 * {@code GET /whoami} says who it was, {@code POST /echo} returns the body it read.
 */
@SpringBootApplication
@EnableMethodSecurity
@RestController
public class ExampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a.requestMatchers("/healthz").permitAll().anyRequest().authenticated())
        .with(SignetConfigurer.signet(), Customizer.withDefaults());
    return http.build();
  }

  /** Liveness, open to probes (and the baseline the load benchmark compares /whoami with). */
  @GetMapping("/healthz")
  public Map<String, Object> health() {
    return Map.of("data", Map.of("status", "ok"));
  }

  @GetMapping("/whoami")
  public Map<String, Object> whoami(@AuthenticationPrincipal Principal p) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", p.userId());
    data.put("session_id", p.sessionId());
    data.put("scopes", p.scopes().stream().sorted().toList());
    return Map.of("data", data);
  }

  /** Behind signet serve (see {@link UpstreamSecurity}): who the identity token says made the request. */
  @GetMapping("/upstream/whoami")
  public Map<String, Object> upstreamWhoami(@AuthenticationPrincipal org.springframework.security.oauth2.jwt.Jwt identity) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", identity.getSubject());
    data.put("session_id", identity.getClaimAsString("sid"));
    data.put("scheme", identity.getClaimAsString("scheme"));
    data.put("issuer", identity.getClaimAsString("iss"));
    return Map.of("data", data);
  }

  /** Spring Security's own resource server instead of Signet ({@link PeerResourceServer}): who the token says made it. */
  @GetMapping({"/rs/eddsa/whoami", "/rs/rs256/whoami"})
  public Map<String, Object> resourceServerWhoami(@AuthenticationPrincipal org.springframework.security.oauth2.jwt.Jwt jwt) {
    return Map.of("data", Map.of("subject", jwt.hasClaim("uid") ? jwt.getClaimAsString("uid") : jwt.getSubject()));
  }

  @PostMapping(value = "/echo", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
  public byte[] echo(@RequestBody(required = false) byte[] body) {
    return body == null ? new byte[0] : body;
  }
}
