package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recursor serves real stubs on port 53: kdig, drill, and the glibc resolver behind
 * {@code getent hosts}, which reads /etc/resolv.conf. That file is replaced only inside a private
 * mount namespace ({@code unshare -m}); the machine's own /etc/resolv.conf is never touched.
 */
class RecursorClientsIT {
  @TempDir static Path state;
  private static EmbeddedLab lab;

  @BeforeAll
  static void start() throws Exception {
    Tool.PORT_53.require();
    lab = EmbeddedLab.builder()
        .plan(AddressPlan.EMBEDDED) // port 53: resolv.conf cannot name another port
        .zones(Path.of("../zones"))
        .withRecursor()
        .encryptedDnsPorts(0, 0)
        .stateDir(state)
        .build()
        .start();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void kdigAndDrillGetRecursiveAnswers() throws Exception {
    RequiredTools.require(Tool.KDIG, Tool.DRILL);
    String kdig = ExternalCommand.run(List.of("kdig", "@127.53.0.53", "www.naver.com", "A"));
    assertThat(kdig).contains("status: NOERROR").contains(" ra").contains("www.naver.com.nheos.com.");
    String drill = ExternalCommand.run(List.of("drill", "www.example.co.kr", "@127.53.0.53"));
    assertThat(drill).contains("rcode: NOERROR").containsPattern("www\\.example\\.co\\.kr\\.\\s+\\d+\\s+IN\\s+A\\s+127\\.53\\.0\\.80");
  }

  @Test
  void glibcStubResolvesThroughTheRecursorInItsOwnMountNamespace() throws Exception {
    RequiredTools.require(Tool.UNSHARE, Tool.ROOT);
    String before = Files.readString(Path.of("/etc/resolv.conf"));
    Path resolvConf = state.resolve("resolv.conf");
    Files.writeString(resolvConf, "nameserver 127.53.0.53\noptions timeout:2 attempts:2\n");
    String out = ExternalCommand.run(List.of("unshare", "--mount", "sh", "-c",
        "mount --bind " + resolvConf + " /etc/resolv.conf && getent hosts www.google.com www.naver.com"
            + " && getent ahostsv4 www.google.com"));
    // getent hosts asks for IPv6 first (gethostbyname2 with AF_INET6), and the lab has AAAA
    // records now; ahostsv4 asks for the IPv4 address alone.
    assertThat(out).contains("fd00:53:53:127::80").contains("127.53.0.80").contains("www.google.com");
    assertThat(Files.readString(Path.of("/etc/resolv.conf"))).isEqualTo(before);
  }
}
