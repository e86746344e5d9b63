package dev.dnslab.lab.soak;

import dev.dnslab.core.fault.DelayFault;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.lab.EmbeddedLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The soak's lab process: root, TLD and authoritative servers and our recursor, on the embedded
 * address plan and port 53, every authority answering {@code delayMillis} late (the lab's own
 * {@link DelayFault}: a distant server). {@link SoakIT} runs it inside a network namespace, so port
 * 53 and the loss rules there touch nothing else on the machine. It stops when its standard input
 * closes (the test, or the test JVM, went away) or on SIGTERM.
 *
 * <pre>
 *   java -cp CLASSPATH dev.dnslab.lab.soak.SoakLab ZONES STATE_DIR DELAY_MILLIS
 * </pre>
 */
public final class SoakLab {
  /** What the lab prints once every server is bound, for the log. */
  static final String READY = "soak lab up";

  private SoakLab() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: SoakLab ZONES STATE_DIR DELAY_MILLIS");
      System.exit(2);
    }
    Duration delay = Duration.ofMillis(Long.parseLong(args[2]));
    try (EmbeddedLab lab = EmbeddedLab.builder()
        .plan(AddressPlan.EMBEDDED)
        .zones(Path.of(args[0]))
        .stateDir(Path.of(args[1]))
        .withRecursor()
        .encryptedDnsPorts(0, 0)
        .interceptors(role -> List.of(new DelayFault(QueryMatch.ALL, delay, FaultListener.NONE)))
        .build()
        .start()) {
      System.out.println(READY + ": authorities answer " + delay.toMillis() + " ms late");
      while (System.in.read() >= 0) {
        // Runs until the test closes our standard input.
      }
    }
  }
}
