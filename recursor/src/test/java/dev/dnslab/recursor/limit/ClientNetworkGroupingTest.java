package dev.dnslab.recursor.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.net.Cidr;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which network a client's queries count against (NSD's and Knot's RRL grouping). */
class ClientNetworkGroupingTest {
  private final ClientLimits limits = ClientLimits.DEFAULT;

  @Test
  void countsIpv4ClientsOfOneSlash24Together() throws Exception {
    assertThat(limits.networkOf(InetAddress.getByName("192.0.2.1")))
        .isEqualTo(limits.networkOf(InetAddress.getByName("192.0.2.200")))
        .isEqualTo(Cidr.parse("192.0.2.0/24"));
    assertThat(limits.networkOf(InetAddress.getByName("192.0.3.1"))).isEqualTo(Cidr.parse("192.0.3.0/24"));
  }

  @Test
  void countsIpv6ClientsOfOneSlash56Together() throws Exception {
    assertThat(limits.networkOf(InetAddress.getByName("2001:db8:0:1::1")))
        .isEqualTo(limits.networkOf(InetAddress.getByName("2001:db8:0:ff::1")))
        .isEqualTo(Cidr.parse("2001:db8::/56"));
    assertThat(limits.networkOf(InetAddress.getByName("2001:db8:0:100::1")))
        .isEqualTo(Cidr.parse("2001:db8:0:100::/56"));
  }

  @Test
  void exemptsLoopbackByDefault() throws Exception {
    assertThat(limits.networkOf(InetAddress.getByName("127.0.0.1"))).isNull();
    assertThat(limits.networkOf(InetAddress.getByName("::1"))).isNull();
  }

  @Test
  void refusesANegativeRate() {
    assertThatThrownBy(() -> new ClientLimits(-1, 1, 1, 24, 56, ClientLimits.DEFAULT_EXEMPT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queriesPerSecond: -1 (expected: >= 0)");
  }
}
