package dev.signet.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.ConditionalOnDefaultWebSecurity;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * When the application declares no {@code SecurityFilterChain}: every request needs a verified
 * Signet token. An application that declares its own chain uses {@link SignetConfigurer} in it.
 */
// Explicitly before Actuator's default chain (form login), which would otherwise take this one's place
// if auto-configuration order ever stopped favouring this one by name.
@AutoConfiguration(after = SignetAutoConfiguration.class, before = SecurityAutoConfiguration.class,
    beforeName = "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnDefaultWebSecurity
public class SignetSecurityAutoConfiguration {
  @Bean
  @Order(org.springframework.boot.autoconfigure.security.SecurityProperties.BASIC_AUTH_ORDER)
  public SecurityFilterChain signetSecurityFilterChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .with(SignetConfigurer.signet(), Customizer.withDefaults());
    return http.build();
  }
}
