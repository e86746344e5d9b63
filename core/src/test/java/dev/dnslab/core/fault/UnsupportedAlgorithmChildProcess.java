package dev.dnslab.core.fault;

import dev.dnslab.core.testing.AuthorityFixture;
import java.nio.file.Path;

/**
 * A second JVM for {@link UnsupportedAlgorithmAcrossProcessesTest}: the child's server (the lab's
 * authoritative zones, signed, with the unsupported-algorithm fault), as a compose container runs
 * it. Prints its DNS address, then serves until its stdin closes.
 */
public final class UnsupportedAlgorithmChildProcess {
  private UnsupportedAlgorithmChildProcess() {}

  public static void main(String[] args) throws Exception {
    try (AuthorityFixture child = UnsupportedAlgorithmAcrossProcessesTest.start(Path.of(args[0]), "authoritative")) {
      System.out.println("DNS " + child.address().getPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the test closes our stdin
      }
    }
  }
}
