package dev.dnslab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortTest {
  @Test
  void picksAPortBelowTheKernelsEphemeralRangeThatNoUnboundSenderCanBeGiven() {
    int low = FreePort.ephemeralLow();
    for (int i = 0; i < 20; i++) {
      assertThat(FreePort.find()).isBetween(10_000, low - 1);
    }
  }

  @Test
  void thePortItFindsCanBeBoundForUdpAndTcp() throws Exception {
    int port = FreePort.find();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
        ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
      assertThat(udp.getLocalPort()).isEqualTo(port);
      assertThat(tcp.getLocalPort()).isEqualTo(port);
    }
  }
}
