package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WebServerMainTest {
  @TempDir Path dir;

  private WebServerConfig parse(String... args) {
    WebServerMain main = new WebServerMain();
    new CommandLine(main).parseArgs(args);
    return main.toConfig();
  }

  @Test
  void listensOnTheLabWebAddressWithTheUsualPortsByDefault() {
    WebServerConfig config = parse("--sites", dir.toString(), "--state-dir", dir.toString());

    assertThat(config.http()).isEqualTo(new InetSocketAddress("127.53.0.80", 80));
    assertThat(config.https()).isEqualTo(new InetSocketAddress("127.53.0.80", 443));
    assertThat(config.admin()).isEqualTo(new InetSocketAddress("127.53.0.80", 9153));
    assertThat(config.certificateAddresses()).extracting(a -> a.getHostAddress()).containsExactly("127.53.0.80");
  }

  @Test
  void takesHost80OfAnotherLabNetwork() {
    WebServerConfig config = parse("--lab-network", "172.28.53.0/24", "--sites", dir.toString());

    assertThat(config.http().getAddress().getHostAddress()).isEqualTo("172.28.53.80");
  }

  @Test
  void refusesToStartWithoutSitesAndSaysWhy() {
    CommandLine command = new CommandLine(new WebServerMain());

    int status =
        command.execute("--address", "127.0.0.1", "--port", "0", "--https-port", "0", "--admin-port", "0",
            "--sites", dir.resolve("missing").toString(), "--state-dir", dir.toString());

    assertThat(status).isEqualTo(WebServerMain.EXIT_BAD_SITES);
  }

  @Test
  void refusesToStartWithASiteNameNoCertificateCanCarry() throws Exception {
    // The site certificates are issued at the first HTTPS connection; their names are checked at
    // start, where main turns this into "refusing to start" and EXIT_BAD_SITES.
    Path site = Files.createDirectories(dir.resolve("sites").resolve("not_a_host"));
    Files.writeString(site.resolve("index.html"), "<p>hello</p>");
    WebServerConfig config =
        parse("--address", "127.0.0.1", "--port", "0", "--https-port", "0", "--admin-port", "0",
            "--sites", site.getParent().toString(), "--state-dir", dir.toString());

    try (WebServer server = new WebServer(config)) {
      assertThatThrownBy(server::start)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("dnsName: not_a_host (expected: a host name such as www.google.com)");
    }
  }

  @Test
  void acceptsExplicitAddressAndPorts() {
    WebServerConfig config =
        parse("--address", "127.0.0.1", "--port", "0", "--https-port", "8443", "--admin-port", "0", "--sites", dir.toString());

    assertThat(config.http()).isEqualTo(new InetSocketAddress("127.0.0.1", 0));
    assertThat(config.https().getPort()).isEqualTo(8443);
    assertThat(config.sites()).isEqualTo(dir);
  }
}
