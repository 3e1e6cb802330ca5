package dev.signet.bench;

import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.servlet.SignetFilter;
import dev.signet.verify.KeyRegistry;
import dev.signet.verify.Principal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The Servlet filter in a plain embedded Tomcat 10.1, in front of a servlet that answers
 * {@code {"data":{"user_id":...}}}: the filter's cost without Spring, for load runs.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.signet.bench.ServletServer PORT USER_ID SESSION_ID PUBLIC_KEY}
 */
public final class ServletServer {
  private ServletServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: ServletServer PORT USER_ID SESSION_ID PUBLIC_KEY");
      System.exit(2);
    }
    Clock clock = Clock.systemUTC();
    KeyRegistry keys = KeyRegistry.builder().bot(args[1], args[2], JwsKey.eddsa(Ed25519PublicKey.parse(args[3])), null).build();
    SignetFilter filter = SignetFilter.builder(keys).replay(new InMemoryReplayStore(clock, 4_000_000)).clock(clock).build();

    Tomcat tomcat = new Tomcat();
    String base = Files.createTempDirectory("signet-servlet-bench").toString();
    tomcat.setBaseDir(base);
    tomcat.setPort(Integer.parseInt(args[0]));
    tomcat.getConnector();
    Context ctx = tomcat.addContext("", base);
    Tomcat.addServlet(ctx, "whoami", new Whoami());
    ctx.addServletMappingDecoded("/*", "whoami");
    FilterDef def = new FilterDef();
    def.setFilterName("signet");
    def.setFilter(filter);
    ctx.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("signet");
    map.addURLPattern("/*");
    ctx.addFilterMap(map);
    tomcat.start();
    System.out.println("listening on " + args[0]);
    tomcat.getServer().await();
  }

  private static final class Whoami extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Principal p = SignetFilter.principal(req).orElseThrow();
      byte[] body = ("{\"data\":{\"user_id\":\"" + p.userId() + "\",\"session_id\":\"" + p.sessionId() + "\"}}")
          .getBytes(StandardCharsets.UTF_8);
      resp.setContentType("application/json");
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }
}
