package dev.signet.cli;

import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run the verifying server. With no options: port 8080, data in ./signet-data (embedded database).",
        "Settings come from --config (YAML) and SIGNET_* environment variables, e.g. SIGNET_PORT=9090.",
        "The admin API's token is SIGNET_ADMIN_TOKEN, or is generated into <data_dir>/admin.token on first start and printed once."})
final class ServeCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
  Path config;

  @Override
  public void run() {
    ServerConfig cfg = ConfigLoader.load(config, System.getenv());
    SignetServer server = SignetServer.start(cfg, Clock.systemUTC(), System.getenv("SIGNET_ADMIN_TOKEN"));
    String token = server.generatedAdminToken();
    if (token != null) {
      spec.commandLine().getOut().println("admin token (shown once; kept in " + cfg.dataPath().resolve("admin.token") + "): " + token);
    }
    spec.commandLine().getOut().println("signet serve: listening on " + cfg.host() + ":" + server.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "signet-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
