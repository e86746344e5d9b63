package dev.dnslab.cli;

import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code dnslab} command line that a run's arguments need: when the first argument names a
 * subcommand, {@code dnslab} with that one subcommand; otherwise (options, {@code help}, an unknown
 * name, nothing) {@code dnslab} with all of them, as {@link DnslabCommand}'s annotation lists them.
 *
 * <p>Why: picocli builds the model of every listed subcommand, reflecting over each one's options,
 * before it parses anything, and its classes are compiled for Java 5, which the launcher's
 * class-data archive cannot hold, so they run interpreted and freshly verified at every start.
 * {@code dnslab up} parses only {@code up}'s options: the six other models were built and dropped
 * at each start. A run whose first argument names a subcommand parses nothing of {@code dnslab}
 * itself (its options come before a subcommand's name), so the lone subcommand parses, prints its
 * help and errors, and exits with the same codes as under the full command.
 */
final class InvokedCommandLine {
  private InvokedCommandLine() {}

  static CommandLine of(String... args) {
    Command dnslab = DnslabCommand.class.getAnnotation(Command.class);
    Optional<Class<?>> named = args.length == 0 ? Optional.empty() : subcommandNamed(dnslab, args[0]);
    if (named.isEmpty()) {
      return new CommandLine(new DnslabCommand());
    }
    // Every attribute of the annotation, read by picocli's own method for it (name, version, usage
    // texts, exit codes, parser settings, ...), so one added to DnslabCommand cannot be missed here.
    // It reads neither the subcommands (left out on purpose) nor mixinStandardHelpOptions, which
    // picocli applies apart from it, as the line after does.
    CommandSpec alone = CommandSpec.wrapWithoutInspection(new DnslabCommand(), CommandLine.defaultFactory());
    alone.updateCommandAttributes(dnslab, CommandLine.defaultFactory());
    alone.mixinStandardHelpOptions(dnslab.mixinStandardHelpOptions());
    return new CommandLine(alone).addSubcommand(named.get());
  }

  /** The subcommand class {@code dnslab} registers under this name (or alias); never {@code help}, which needs them all. */
  private static Optional<Class<?>> subcommandNamed(Command dnslab, String name) {
    return Arrays.stream(dnslab.subcommands())
        .filter(type -> type != CommandLine.HelpCommand.class)
        .filter(type -> {
          Command command = type.getAnnotation(Command.class);
          return command != null && (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name));
        })
        .findFirst();
  }
}
