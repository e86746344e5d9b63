package dev.dnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.scenario.ScenarioException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting a Lab without the extension. */
class LabTest {
  @TempDir Path dir;

  @Test
  void startsOnTheZoneFilesOwnNetworkWhenAskedTo() throws Exception {
    try (Lab lab = Lab.builder().network("127.53.0.0/24").start()) {
      assertThat(lab.root().getAddress().getHostAddress()).isEqualTo("127.53.0.11");
      assertThat(lab.address("127.53.0.80").getHostAddress()).isEqualTo("127.53.0.80");
      assertThat(lab.port()).isPositive();
    }
  }

  @Test
  void picksADifferentNetworkForEachLab() throws Exception {
    try (Lab first = Lab.builder().start(); Lab second = Lab.builder().start()) {
      assertThat(first.network()).isNotEqualTo(second.network());
      assertThat(first.address("127.53.0.80").isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void deletesItsRootHintsWhenClosed() throws Exception {
    Path hints;
    try (Lab lab = Lab.builder().start()) {
      hints = lab.rootHints();
      assertThat(hints).exists();
    }
    assertThat(hints).doesNotExist();
  }

  @Test
  void refusesANetworkOffLoopback() {
    assertThatThrownBy(() -> Lab.builder().network("192.0.2.0/24"))
        .hasMessage("network: 192.0.2.0/24 (expected: a /24 in 127.0.0.0/8, or any)");
  }

  @Test
  void reportsABrokenScenarioFileWithItsLine() throws Exception {
    Path file = Files.writeString(dir.resolve("broken.yaml"), "name: broken\nfaults:\n  - fault: delay\n    server: mars\n    ms: 5\n");

    assertThatThrownBy(() -> Lab.builder().scenario(file).start())
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith(file + ":4: unknown server 'mars'");
  }
}
