package dev.signet.spring.app;

import dev.signet.spring.SignetAuthorization;
import dev.signet.spring.SignetConfigurer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** An application with its own security chain, using {@link SignetConfigurer} in it. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import(WhoamiController.class)
public class ChainApp {
  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/public", "/public/**").permitAll()
            .requestMatchers("/assets/**").hasAuthority("SCOPE_ASSETS:READ")
            .requestMatchers("/full/**").access(SignetAuthorization.hasScope("ASSETS:WRITE"))
            .anyRequest().authenticated())
        .with(SignetConfigurer.signet(), Customizer.withDefaults());
    return http.build();
  }
}
