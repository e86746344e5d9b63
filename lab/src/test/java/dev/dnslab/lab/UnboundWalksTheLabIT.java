package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.testing.Poll;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * resolves the articles' names through our root, TLD and authoritative servers. Referrals carry no
 * port, so the lab runs on port 53 here (CI runs as root); Unbound sends only to loopback.
 */
class UnboundWalksTheLabIT {
  @TempDir Path dir;

  @Test
  void unboundResolvesTheArticlesNamesThroughTheLabServers() throws Exception {
    try (EmbeddedLab lab = EmbeddedLab.builder().plan(AddressPlan.EMBEDDED).zones(Path.of("../zones")).build().start()) {
      int port = freePort();
      Path hints = dir.resolve("root.hints");
      Files.writeString(hints, ". 518400 IN NS a.root-servers.net.\na.root-servers.net. 518400 IN A "
          + lab.address(LabRole.ROOT).getAddress().getHostAddress() + "\n");
      Path conf = dir.resolve("unbound.conf");
      Files.writeString(conf, String.join("\n",
          "server:",
          "  interface: 127.0.0.1@" + port,
          "  port: " + port,
          "  do-daemonize: no",
          "  chroot: \"\"",
          "  username: \"\"",
          "  directory: \"" + dir + "\"",
          "  pidfile: \"" + dir.resolve("unbound.pid") + "\"",
          "  use-syslog: no",
          "  num-threads: 1",
          "  do-ip6: no",
          "  access-control: 127.0.0.0/8 allow",
          "  do-not-query-localhost: no",
          "  root-hints: \"" + hints + "\"",
          "  outgoing-interface: 127.0.0.1",
          "  module-config: \"iterator\"",
          "  qname-minimisation: yes",
          "remote-control:",
          "  control-enable: no",
          ""));
      ExternalCommand.run(List.of("unbound-checkconf", conf.toString()));
      Process unbound = new ProcessBuilder("unbound", "-d", "-c", conf.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("unbound.log").toFile()).start();
      try {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        resolver.setTimeout(Duration.ofSeconds(5));
        Poll.until(Duration.ofSeconds(10), () -> answers(resolver), "unbound answering on " + port);

        assertThat(resolve(resolver, "www.google.com.")).containsExactly("127.53.0.80");
        assertThat(resolve(resolver, "www.example.co.kr.")).containsExactly("127.53.0.80");
        assertThat(resolve(resolver, "www.naver.com.")).containsExactly("127.53.0.80");
        Message nx = resolver.send(query("nosuch.google.com."));
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        // Each of our three servers was really asked.
        for (LabRole role : EmbeddedLab.AUTHORITIES) {
          var counter = lab.authority(role).registry().find("dns.requests").counters();
          assertThat(counter.stream().mapToDouble(c -> c.count()).sum()).as(role.serviceName()).isPositive();
        }
      } finally {
        unbound.destroy();
        unbound.waitFor();
      }
    }
  }

  private static boolean answers(SimpleResolver resolver) {
    try {
      resolver.send(query("."));
      return true;
    } catch (IOException e) {
      return false;
    }
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
