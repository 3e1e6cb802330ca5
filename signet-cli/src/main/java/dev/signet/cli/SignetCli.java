package dev.signet.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code signet} command. Exit codes: 0 success, 1 a refused token or bad input, 2 usage.
 * Errors are one line on stderr; secrets are printed only by commands whose job that is.
 */
@Command(name = "signet", mixinStandardHelpOptions = true, version = "signet 0.1.0",
    description = "Sign, verify and inspect signed API credentials (Mixin bot/OAuth JWTs, service JWTs, PINs, Graphene logins).",
    subcommands = {ServeCommand.class, AdminCommand.class, KeygenCommand.class, SignCommand.class, VerifyCommand.class, DecodeCommand.class,
        PinCommand.class, RequestCommand.class})
public final class SignetCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new SignetCli());
    // "@path" values are read by the commands themselves; picocli must not expand them as arg files.
    cli.setExpandAtFiles(false);
    // Base64url keys, tokens and PIN ciphertexts may start with '-': an unknown "-..." is a value.
    cli.setUnmatchedOptionsArePositionalParams(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, a) -> usage(ex, err));
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      // Commands check option combinations themselves; those are usage errors too.
      if (ex instanceof CommandLine.ParameterException pe) {
        return usage(pe, err);
      }
      err.println("signet: " + describe(ex));
      return 1;
    });
    return cli.execute(args);
  }

  private static int usage(CommandLine.ParameterException ex, PrintWriter err) {
    err.println("signet: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
    return 2;
  }

  /** One line, from our own typed errors; never a stack trace. */
  private static String describe(Exception ex) {
    String m = ex.getMessage();
    if (m == null || m.isBlank()) {
      return ex.getClass().getSimpleName();
    }
    return m.replace('\n', ' ');
  }
}
