package dev.signet.spring.app;

import dev.signet.spring.SignetConfigurer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/** A chain that asks for sessions explicitly: the application's choice wins, with a warning. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WhoamiController.class)
public class SessionChainApp {
  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .with(SignetConfigurer.signet(), Customizer.withDefaults());
    return http.build();
  }
}
