package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.FreePort;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import dev.dnslab.testing.UnboundDaemon;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real resolver walks our hierarchy: Debian's Unbound, given only the lab root as its root hint,
 * resolves the seeds' names through our root, TLD and authoritative servers. Referrals carry no
 * port, so the lab runs on port 53 here (CI runs as root); Unbound sends only to loopback.
 */
class UnboundWalksTheLabIT {
  @TempDir Path dir;

  @Test
  void unboundResolvesSeedNamesThroughTheLabServers() throws Exception {
    RequiredTools.require(Tool.UNBOUND, Tool.UNBOUND_CHECKCONF, Tool.PORT_53);
    try (EmbeddedLab lab = EmbeddedLab.builder().plan(AddressPlan.EMBEDDED).zones(Path.of("../zones")).build().start()) {
      Map<LabRole, Double> requestsBefore = new EnumMap<>(LabRole.class);
      for (LabRole role : EmbeddedLab.AUTHORITIES) {
        requestsBefore.put(role, requests(lab, role));
      }
      InetSocketAddress listen = new InetSocketAddress("127.0.0.1", FreePort.find());
      Path hints = UnboundDaemon.writeRootHints(dir, lab.address(LabRole.ROOT).getAddress());
      try (DaemonProcess unbound = UnboundDaemon.start(dir, listen, hints)) {
        ExternalCommand.run(List.of(Tool.UNBOUND_CHECKCONF.require(), dir.resolve("unbound.conf").toString()));
        SimpleResolver resolver = new SimpleResolver(listen);
        resolver.setTimeout(Duration.ofSeconds(5));

        assertThat(resolve(resolver, "www.google.com.")).containsExactly("127.53.0.80");
        assertThat(resolve(resolver, "www.example.co.kr.")).containsExactly("127.53.0.80");
        assertThat(resolve(resolver, "www.naver.com.")).containsExactly("127.53.0.80");
        Message nx = resolver.send(query("nosuch.google.com."));
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        // Each of our three servers was really asked.
        for (LabRole role : EmbeddedLab.AUTHORITIES) {
          assertThat(requests(lab, role)).as(role.serviceName()).isGreaterThan(requestsBefore.get(role));
        }
      }
    }
  }

  /** Requests the role's server has counted so far, of every type and transport. */
  private static double requests(EmbeddedLab lab, LabRole role) {
    return lab.authority(role).registry().find("dns.requests").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static List<String> resolve(SimpleResolver resolver, String name) throws IOException {
    Message response = resolver.send(query(name));
    assertThat(response.getRcode()).as(name).isEqualTo(Rcode.NOERROR);
    return response.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }

  private static Message query(String name) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
  }
}
