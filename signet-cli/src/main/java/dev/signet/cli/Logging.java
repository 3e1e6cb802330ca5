package dev.signet.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.signet.server.config.ServerConfig;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.format} and {@code log.level} to Logback: one appender on stderr. The libraries
 * under Signet (Flyway's migrations, the connection pool, Netty, Vert.x) log at WARN unless the level
 * is {@code debug}: a first start shows Signet's own lines (where it listens, the admin token), not
 * their chatter.
 */
final class Logging {
  static final List<String> LIBRARIES = List.of("org.flywaydb", "com.zaxxer.hikari", "io.netty", "io.vertx", "org.postgresql");

  private Logging() {}

  static void configure(ServerConfig.Log log) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Encoder<ILoggingEvent> encoder;
    if (log.format().equals("json")) {
      JsonEncoder json = new JsonEncoder();
      // Timestamp, level, thread, logger, the formatted message with its arguments, key-value pairs
      // and throwable; no sequence numbers or context.
      json.setWithFormattedMessage(true);
      json.setWithMessage(false);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n");
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(stderr);
    Level level = Level.toLevel(log.level(), Level.INFO);
    root.setLevel(level);
    Level libraries = level.isGreaterOrEqual(Level.WARN) || level == Level.DEBUG ? level : Level.WARN;
    LIBRARIES.forEach(name -> context.getLogger(name).setLevel(libraries));
  }
}
