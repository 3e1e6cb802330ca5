package dev.signet.spring.app;

import dev.signet.verify.Principal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** What a Spring application sees of a Signet-verified request. */
@RestController
public class WhoamiController {
  @GetMapping({"/whoami", "/assets/list", "/full/x"})
  public Map<String, Object> whoami(@AuthenticationPrincipal Principal p) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", p.userId());
    data.put("session_id", p.sessionId());
    data.put("scopes", p.scopes().stream().sorted().toList());
    return Map.of("data", data);
  }

  @PostMapping("/echo")
  public String echo(@RequestBody(required = false) String body) {
    return body == null ? "" : body;
  }

  @GetMapping("/public")
  public String open() {
    return "open";
  }

  /**
   * What a form login elsewhere in the application would leave: a session holding an authenticated
   * context. A Signet chain must not read it.
   */
  @GetMapping("/public/session")
  public String session(HttpServletRequest request) {
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("mallory", null,
        AuthorityUtils.createAuthorityList("SCOPE_SNAPSHOTS:READ")));
    request.getSession(true).setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
    return "session";
  }

  @PreAuthorize("hasAuthority('SCOPE_SNAPSHOTS:READ')")
  @GetMapping("/snapshots")
  public String snapshots() {
    return "snapshots";
  }
}
