package dev.dnslab.core.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.HandlerChain;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A port or address that cannot be bound ends in a message that says what to do. */
class BindAdviceTest {
  @Test
  void explainsAPortThatIsAlreadyTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      DnsServer server = DnsServer.builder("test")
          .listen(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))
          .chain(HandlerChain.of())
          .build();
      assertThatThrownBy(server::start)
          .isInstanceOf(BindException.class)
          .satisfies(e -> assertThat(BindAdvice.explain((BindException) e))
              .contains("cannot bind tcp 127.0.0.1:" + taken.getLocalPort())
              .contains("Another program holds this address and port")
              .contains("--port"));
      server.close();
    }
  }

  @Test
  void explainsPrivilegedPortsAndMissingAddresses() {
    assertThat(BindAdvice.explain(new BindException("cannot bind udp 127.53.0.11:53: Permission denied")))
        .contains("setcap cap_net_bind_service=+ep").contains("--port 5353");
    assertThat(BindAdvice.explain(new BindException("cannot bind tcp 127.53.0.11:53: Cannot assign requested address")))
        .contains("sudo ifconfig lo0 alias 127.53.0.$h up");
  }
}
