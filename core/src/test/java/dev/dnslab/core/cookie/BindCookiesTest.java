package dev.dnslab.core.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.FreePort;
import dev.dnslab.testing.Tool;
import dev.dnslab.testing.UnboundDaemon;
import io.micrometer.core.instrument.Counter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Debian's BIND 9.18, which sends DNS cookies to every server it asks, against our authority: it
 * learns our server cookie from the first answer and shows it on the next queries, and our server
 * finds it valid. named forwards to the authority on a free loopback port (a resolver walking from
 * the root would need port 53), with its root hints on an address where nothing listens.
 */
class BindCookiesTest {
  @TempDir Path dir;

  @Test
  void bindLearnsOurServerCookieAndOurServerFindsItValid() throws Exception {
    String named = Tool.NAMED.require();
    try (AuthorityFixture authority = AuthorityFixture.start("authoritative-ns",
            List.of(AuthorityFixture.labZones("authoritative")));
        DaemonProcess bind = startBind(named, authority.address())) {
      SimpleResolver resolver = new SimpleResolver(bindAddress);
      resolver.setTimeout(Duration.ofSeconds(5));

      for (String name : List.of("www.google.com.", "mail.google.com.", "www.naver.com.", "nosuch.google.com.")) {
        Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
        assertThat(answer.getRcode()).as(name + "\n" + bind.tail()).isIn(Rcode.NOERROR, Rcode.NXDOMAIN);
      }

      assertThat(count(authority, "client-only")).as("BIND's first query: a client cookie alone").isPositive();
      assertThat(count(authority, "valid")).as("later queries carry our server cookie").isPositive();
      assertThat(count(authority, "invalid")).isZero();
    }
  }

  private InetSocketAddress bindAddress;

  private DaemonProcess startBind(String named, InetSocketAddress authority) throws Exception {
    bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePort.find());
    // Priming goes to the hinted root; nothing listens on this address, so it stays on this machine.
    Path hints = UnboundDaemon.writeRootHints(dir, InetAddress.getByName("127.254.254.254"));
    Path conf = dir.resolve("named.conf");
    Files.writeString(conf, String.join("\n",
        "options {",
        "  directory \"" + dir + "\";",
        "  pid-file \"" + dir.resolve("named.pid") + "\";",
        "  listen-on port " + bindAddress.getPort() + " { 127.0.0.1; };",
        "  listen-on-v6 { none; };",
        "  recursion yes;",
        "  allow-query { 127.0.0.0/8; };",
        "  allow-recursion { 127.0.0.0/8; };",
        "  dnssec-validation no;",
        "  forwarders { " + authority.getAddress().getHostAddress() + " port " + authority.getPort() + "; };",
        "  forward only;",
        "  query-source address 127.0.0.1;",
        "  notify no;",
        "};",
        "controls { };",
        "zone \".\" { type hint; file \"" + hints + "\"; };",
        ""));
    return DaemonProcess.start(List.of(named, "-g", "-4", "-n", "1", "-u", "root", "-c", conf.toString()),
        dir, dir.resolve("named.log")).awaitAnswering(bindAddress, DaemonProcess.STARTUP);
  }

  private static double count(AuthorityFixture authority, String result) {
    Counter counter = authority.server().registry().find(ServerCookieHandler.COOKIES).tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }
}
