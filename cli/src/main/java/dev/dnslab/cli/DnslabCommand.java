package dev.dnslab.cli;

import dev.dnslab.cli.visit.VisitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dnslab}: the lab's command line. */
@Command(
    name = "dnslab",
    mixinStandardHelpOptions = true,
    version = "dnslab 0.1.0",
    description = "A self-contained Internet in a box: real DNS hierarchy, recursor and web server.",
    subcommands = {UpCommand.class, CheckCommand.class, RootHintsCommand.class, TrustAnchorCommand.class, ZonesCommand.class,
        KeysCommand.class, VisitCommand.class, CommandLine.HelpCommand.class})
public final class DnslabCommand {
  public static void main(String[] args) {
    System.exit(InvokedCommandLine.of(args)
        .setOut(ConsoleTextWriter.printWriter(System.out))
        .setErr(ConsoleTextWriter.printWriter(System.err))
        .execute(args));
  }
}
