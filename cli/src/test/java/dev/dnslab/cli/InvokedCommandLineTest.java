package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dnslab}'s command line built for one subcommand behaves as the full one does. */
class InvokedCommandLineTest {
  /** Exit code, standard output and standard error of one run. */
  record Run(int exitCode, String out, String err) {}

  static Run run(CommandLine command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int exitCode = command.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  static Stream<String> subcommands() {
    return Arrays.stream(DnslabCommand.class.getAnnotation(Command.class).subcommands())
        .filter(type -> type != CommandLine.HelpCommand.class)
        .map(type -> type.getAnnotation(Command.class).name());
  }

  @ParameterizedTest
  @MethodSource("subcommands")
  void buildsOnlyTheNamedSubcommand(String name) {
    CommandLine command = InvokedCommandLine.of(name, "--help");

    assertThat(command.getSubcommands().keySet()).containsExactly(name);
    assertThat(command.getCommandName()).isEqualTo("dnslab");
  }

  @ParameterizedTest
  @MethodSource("subcommands")
  void printsEachSubcommandsHelpAsTheFullCommandDoes(String name) {
    Run full = run(new CommandLine(new DnslabCommand()), name, "--help");

    assertThat(full.exitCode()).isZero();
    assertThat(full.out()).startsWith("Usage: dnslab " + name);
    assertThat(run(InvokedCommandLine.of(name, "--help"), name, "--help")).isEqualTo(full);
  }

  @ParameterizedTest
  @MethodSource("subcommands")
  void refusesAnUnknownOptionAsTheFullCommandDoes(String name) {
    String[] args = {name, "--no-such-option"};
    Run full = run(new CommandLine(new DnslabCommand()), args);

    assertThat(full.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run(InvokedCommandLine.of(args), args)).isEqualTo(full);
  }

  @ParameterizedTest
  @MethodSource("subcommands")
  void takesEveryAttributeOfTheFullCommandButItsSubcommands(String name) throws Exception {
    CommandLine full = new CommandLine(new DnslabCommand());

    assertThat(attributes(InvokedCommandLine.of(name, "--help"))).isEqualTo(attributes(full)).isNotEmpty();
  }

  /**
   * What the {@code dnslab} command's model says of itself: every value of its spec, usage message
   * and parser settings that a {@code @Command} attribute sets (the plain ones, read by their
   * getters), and each help section but the list of subcommands, rendered.
   */
  private static Map<String, Object> attributes(CommandLine command) throws Exception {
    CommandSpec spec = command.getCommandSpec();
    Map<String, Object> attributes = new TreeMap<>();
    for (Object part : List.of(spec, spec.usageMessage(), spec.parser())) {
      for (Method getter : part.getClass().getMethods()) {
        Class<?> type = getter.getReturnType();
        if (getter.getParameterCount() == 0 && Modifier.isPublic(getter.getDeclaringClass().getModifiers())
            && !Set.of("toString", "hashCode").contains(getter.getName())
            && (type.isPrimitive() && type != void.class || type == String.class || type == String[].class
                || type == Boolean.class || type == Integer.class || type == Character.class)) {
          Object value = getter.invoke(part);
          attributes.put(getter.getDeclaringClass().getSimpleName() + "." + getter.getName(),
              value instanceof String[] values ? List.of(values) : value);
        }
      }
    }
    CommandLine.Help help = command.getHelpFactory().create(spec, command.getColorScheme());
    command.getHelpSectionMap().forEach((key, section) -> {
      if (!key.equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST)) {
        attributes.put("section " + key, section.render(help));
      }
    });
    return attributes;
  }

  @Test
  void buildsEverySubcommandForAnythingElse() {
    List<String> all = List.copyOf(new CommandLine(new DnslabCommand()).getSubcommands().keySet());

    for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "up"},
        new String[] {"no-such-command"}, new String[] {"-V"}, new String[] {"-h", "up"})) {
      assertThat(InvokedCommandLine.of(args).getSubcommands().keySet()).as(String.join(" ", args)).containsExactlyElementsOf(all);
    }
  }

  @Test
  void refusesAnUnknownSubcommandWithTheUsageCode() {
    Run run = run(InvokedCommandLine.of("no-such-command"), "no-such-command");

    assertThat(run.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("Unmatched argument at index 0: 'no-such-command'");
  }
}
