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
    longHelpOnly(cli);
    // "@path" values are read by the commands themselves; picocli must not expand them as arg files.
    cli.setExpandAtFiles(false);
    // Base64url keys, tokens and PIN ciphertexts may start with '-': an unknown "-..." is a value.
    cli.setUnmatchedOptionsArePositionalParams(true);
    // ...and "-hX..." must not read as "-h" clustered with more options.
    cli.setPosixClusteredShortOptionsAllowed(false);
    cli.setAllowOptionsAsOptionParameters(true);
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

  /**
   * Every command keeps {@code --help} and {@code --version} but loses {@code -h} and {@code -V}:
   * base64url keys, tokens and PIN ciphertexts can start with "-h" or "-V", and must read as values.
   */
  private static void longHelpOnly(CommandLine cli) {
    CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
    if (spec.mixinStandardHelpOptions()) {
      spec.mixinStandardHelpOptions(false);
      spec.addOption(CommandLine.Model.OptionSpec.builder("--help").usageHelp(true)
          .description("Show this help message and exit.").build());
      spec.addOption(CommandLine.Model.OptionSpec.builder("--version").versionHelp(true)
          .description("Print version information and exit.").build());
    }
    cli.getSubcommands().values().forEach(SignetCli::longHelpOnly);
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
