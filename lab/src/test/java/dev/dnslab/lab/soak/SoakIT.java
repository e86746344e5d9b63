package dev.dnslab.lab.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.lab.ExternalCommand;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak (issue 18): the lab's servers and two resolvers, Unbound and our recursor, with loss and
 * delay between them, under a steady mixed load for {@value #DEFAULT_SECONDS} s ({@code
 * scripts/soak.sh} runs ten minutes): no wrong answer, no crash, every SERVFAIL explained, and the
 * lab's heap and both servers' RSS flat.
 *
 * <p>Everything runs in a network namespace of its own, so the lab can take port 53 on its usual
 * 127.53.0.0/24 addresses and the loss rules touch nothing else: our kernels have no netem, so
 * iptables' {@code statistic} match drops {@value #DEFAULT_LOSS} of the packets to and from the
 * authorities (queries and answers, UDP and TCP), and the lab's own delay fault holds every
 * authority's answer {@value #DEFAULT_DELAY_MILLIS} ms. {@link SoakLab} runs the servers and
 * {@link SoakLoad} the clients, each in its own JVM entered into the namespace by {@code ip netns
 * exec}; this test makes the namespace, checks the figures and removes it all.
 *
 * <p>System properties: {@code dnslab.soak.seconds}, {@code dnslab.soak.rate} (queries a second
 * per client; four clients), {@code dnslab.soak.loss} (0..1), {@code dnslab.soak.delayMillis},
 * {@code dnslab.soak.namespace}.
 */
class SoakIT {
  static final long DEFAULT_SECONDS = 45;
  static final String DEFAULT_LOSS = "0.05";
  static final long DEFAULT_DELAY_MILLIS = 20;
  private static final long SECONDS = Long.getLong("dnslab.soak.seconds", DEFAULT_SECONDS);
  private static final int RATE = Integer.getInteger("dnslab.soak.rate", 20);
  private static final String LOSS = System.getProperty("dnslab.soak.loss", DEFAULT_LOSS);
  private static final long DELAY_MILLIS = Long.getLong("dnslab.soak.delayMillis", DEFAULT_DELAY_MILLIS);

  /** Start-up (zone signing, Unbound, warm-up) and the final samples, beyond the load itself. */
  private static final long OVERHEAD_SECONDS = 240;

  /**
   * Flat, for memory: the end is within a quarter plus a margin of the start. The margin absorbs
   * what a JVM settles into in its first minutes (JIT code, Netty's pooled buffers, a heap region
   * or two); a leak of the soak's ~100 queries a second grows without bound and crosses it.
   */
  private static final double FLAT_GROWTH = 1.25;
  private static final long RSS_MARGIN_KIB = 32 * 1024;
  private static final long HEAP_MARGIN_BYTES = 16L * 1024 * 1024;

  /** Absolute: the lab and the clients run in the test's temporary folder. */
  private static final Path ZONES = Path.of("../zones").toAbsolutePath().normalize();
  private static final Tool IPTABLES = Tool.executable("iptables", "iptables");
  private static final List<String> AUTHORITIES = List.of("127.53.0.11", "127.53.0.12", "127.53.0.13");

  @TempDir Path dir;

  @Test
  void answersRightThroughLossAndDelayWithFlatMemory() throws Exception {
    RequiredTools.require(Tool.ROOT, Tool.IP, IPTABLES, Tool.UNBOUND);
    // scripts/soak.sh names it, so that its trap can clean up after a run cut short.
    String namespace = System.getProperty("dnslab.soak.namespace", "dnslab-soak-" + ProcessHandle.current().pid());
    ExternalCommand.run(List.of(Tool.IP.require(), "netns", "add", namespace));
    try {
      inNamespace(namespace, Tool.IP.require(), "link", "set", "lo", "up");
      dropShare(namespace);
      Path labLog = dir.resolve("lab.log");
      Path result = dir.resolve("figures.properties");
      Path logback = Files.writeString(dir.resolve("logback-soak.xml"), LOGBACK);
      try (DaemonProcess lab = DaemonProcess.start(
          java(namespace, logback, SoakLab.class, ZONES.toString(), dir.resolve("state").toString(), String.valueOf(DELAY_MILLIS)),
          dir, labLog)) {
        Files.createDirectories(dir.resolve("unbound"));
        Path loadLog = dir.resolve("load.log");
        Process load = new ProcessBuilder(java(namespace, logback, SoakLoad.class,
                String.valueOf(SECONDS), String.valueOf(RATE), String.valueOf(lab.pid()), labLog.toString(),
                ZONES.resolve("authoritative").toString(), dir.resolve("unbound").toString(), result.toString()))
            .redirectErrorStream(true).redirectOutput(loadLog.toFile()).start();
        try {
          boolean finished = load.waitFor(SECONDS + OVERHEAD_SECONDS, TimeUnit.SECONDS);
          System.out.println(Files.readString(loadLog));
          assertThat(finished).as("the soak's clients finished within %d s", SECONDS + OVERHEAD_SECONDS).isTrue();
          assertThat(load.exitValue()).as("the soak's clients:\n%s\nlab:\n%s", Files.readString(loadLog), lab.tail())
              .isZero();
        } finally {
          load.destroy();
          load.waitFor(10, TimeUnit.SECONDS);
        }
        System.out.println("SoakIT: " + dropped(namespace) + " packets dropped by the loss rules");
        Properties figures = new Properties();
        try (Reader in = Files.newBufferedReader(result)) {
          figures.load(in);
        }
        System.out.printf("SoakIT: %s s, %s queries, %s answers, %s wrong, %s unanswered, %s SERVFAIL (%s unexplained);"
                + " start: %s; end: %s%n",
            SECONDS, figures.get("queries"), figures.get("answers"), figures.get("wrong"), figures.get("unanswered"),
            figures.get("servfail"), figures.get("servfail.unexplained"), figures.get("start"), figures.get("end"));

        assertThat(figures.getProperty("lab.alive")).as("the lab is still running").isEqualTo("true");
        assertThat(lab.isAlive()).as("the lab is still running").isTrue();
        assertThat(figures.getProperty("unbound.alive")).as("Unbound is still running").isEqualTo("true");
        assertThat(Long.parseLong(figures.getProperty("queries"))).as("queries sent").isPositive();
        assertThat(figures.getProperty("wrong")).as("wrong answers: %s", examples(figures, "wrong")).isEqualTo("0");
        assertThat(figures.getProperty("unanswered")).as("unanswered queries: %s", examples(figures, "unanswered"))
            .isEqualTo("0");
        assertThat(figures.getProperty("servfail.unexplained")).as("SERVFAILs without a reason").isEqualTo("0");
        assertFlat(figures, "lab.rss", "kib", RSS_MARGIN_KIB);
        assertFlat(figures, "unbound.rss", "kib", RSS_MARGIN_KIB);
        assertFlat(figures, "lab.heap", "bytes", HEAP_MARGIN_BYTES);
      }
    } finally {
      ExternalCommand.run(List.of(Tool.IP.require(), "netns", "delete", namespace));
    }
  }

  /** Loss in the kernel (no netem here): each packet to or from an authority's port 53 is dropped at random. */
  private static void dropShare(String namespace) throws IOException, InterruptedException {
    String iptables = IPTABLES.require();
    for (String protocol : List.of("udp", "tcp")) {
      String addresses = String.join(",", AUTHORITIES);
      for (List<String> direction : List.of(List.of("-d", addresses, "--dport", "53"), List.of("-s", addresses, "--sport", "53"))) {
        List<String> rule = new ArrayList<>(List.of(iptables, "-A", "INPUT", "-p", protocol));
        rule.addAll(direction);
        rule.addAll(List.of("-m", "statistic", "--mode", "random", "--probability", LOSS, "-j", "DROP"));
        inNamespace(namespace, rule.toArray(String[]::new));
      }
    }
  }

  /** The packets the loss rules dropped: the first column of {@code iptables -L -v -x}. */
  private static long dropped(String namespace) throws IOException, InterruptedException {
    String listing = ExternalCommand.run(List.of(Tool.IP.require(), "netns", "exec", namespace,
        IPTABLES.require(), "-L", "INPUT", "-v", "-x", "-n"));
    return listing.lines().map(String::strip).filter(line -> line.matches("\\d+\\s+\\d+\\s+DROP.*"))
        .mapToLong(line -> Long.parseLong(line.split("\\s+")[0])).sum();
  }

  private static void inNamespace(String namespace, String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of(Tool.IP.require(), "netns", "exec", namespace));
    full.addAll(List.of(command));
    ExternalCommand.run(full);
  }

  /** A JVM on this test's class path, entered into the namespace (ip netns exec execs it: same PID). */
  private static List<String> java(String namespace, Path logback, Class<?> main, String... args) {
    List<String> command = new ArrayList<>(List.of(Tool.IP.require(), "netns", "exec", namespace,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dlogback.configurationFile=" + logback,
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private static void assertFlat(Properties figures, String what, String unit, long margin) {
    long start = Long.parseLong(figures.getProperty(what + ".start." + unit));
    long end = Long.parseLong(figures.getProperty(what + ".end." + unit));
    assertThat(end).as("%s at the end (%s at the start, %s)", what, start, unit)
        .isLessThanOrEqualTo((long) (start * FLAT_GROWTH) + margin);
  }

  private static String examples(Properties figures, String kind) {
    return figures.stringPropertyNames().stream().filter(key -> key.startsWith(kind + ".example."))
        .sorted().map(figures::getProperty).toList().toString();
  }

  /** Lifecycle at INFO, and our recursor's reason for each SERVFAIL (Resolution logs it at DEBUG). */
  private static final String LOGBACK = """
      <configuration>
        <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n</pattern></encoder>
        </appender>
        <logger name="io.netty" level="WARN"/>
        <logger name="dev.dnslab.recursor.iterator.Resolution" level="DEBUG"/>
        <root level="INFO"><appender-ref ref="STDOUT"/></root>
      </configuration>
      """;
}
