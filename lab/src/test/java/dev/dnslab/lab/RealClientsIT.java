package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.testing.Tool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kdig, drill and dig (over UDP and TCP, and AXFR) against the embedded lab's authorities. */
class RealClientsIT {
  private static EmbeddedLab lab;
  private static String port;

  @BeforeAll
  static void start() throws Exception {
    lab = EmbeddedLab.builder().plan(AddressPlan.EMBEDDED.withDnsPort(0)).zones(Path.of("../zones")).build().start();
    port = String.valueOf(lab.plan().dnsPort());
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void kdigGetsReferralFromRootOverTcp() throws Exception {
    Tool.KDIG.require();
    String out = ExternalCommand.run(List.of("kdig", "+tcp", "+norec", "@127.53.0.11", "-p", port, "www.google.com", "A"));
    assertThat(out).contains("TCP").contains("status: NOERROR").containsPattern("com\\.\\s+172800\\s+IN\\s+NS\\s+a\\.gtld-servers\\.net\\.");
  }

  @Test
  void drillGetsAuthoritativeAnswer() throws Exception {
    Tool.DRILL.require();
    String out = ExternalCommand.run(List.of("drill", "-p", port, "www.example.co.kr", "@127.53.0.13"));
    assertThat(out).contains("rcode: NOERROR").contains(" aa ").containsPattern("www\\.example\\.co\\.kr\\.\\s+300\\s+IN\\s+A\\s+127\\.53\\.0\\.80");
  }

  @Test
  void digTransfersZoneOverTcp() throws Exception {
    Tool.DIG.require();
    String out = ExternalCommand.run(List.of("dig", "@127.53.0.13", "-p", port, "example.co.kr", "AXFR"));
    assertThat(out.lines().filter(l -> l.contains("\tSOA\t"))).hasSize(2);
    assertThat(out).containsPattern("\\*\\.blog\\.example\\.co\\.kr\\.\\s+300\\s+IN\\s+A\\s+127\\.53\\.0\\.80");
  }

  @Test
  void digSeesNxdomainWithNegativeTtl() throws Exception {
    Tool.DIG.require();
    String out = ExternalCommand.run(List.of("dig", "+norec", "@127.53.0.13", "-p", port, "nosuch.google.com"));
    assertThat(out).contains("status: NXDOMAIN").containsPattern("google\\.com\\.\\s+60\\s+IN\\s+SOA");
  }

  @Test
  void kdigWithoutEdnsGetsAuthoritativeAnyAtComApex() throws Exception {
    Tool.KDIG.require();
    String out = ExternalCommand.run(List.of("kdig", "+norec", "+noedns", "@127.53.0.12", "-p", port, "com", "ANY"));
    assertThat(out).contains("status: NOERROR").contains("qr aa");
  }
}
