package dev.dnslab.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void containsAddressesInsideThePrefixOnly() throws Exception {
    Cidr lab = Cidr.parse("127.53.0.0/24");
    assertThat(lab.contains(InetAddress.getByName("127.53.0.11"))).isTrue();
    assertThat(lab.contains(InetAddress.getByName("127.53.1.11"))).isFalse();
    assertThat(lab.contains(InetAddress.getByName("::1"))).isFalse();
  }

  @Test
  void treatsBareAddressAsHostPrefix() throws Exception {
    assertThat(Cidr.parse("::1")).isEqualTo(Cidr.LOOPBACK_V6);
    assertThat(Cidr.parse("10.1.2.3").prefixLength()).isEqualTo(32);
  }

  @Test
  void masksHostBits() {
    assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
  }

  @Test
  void rejectsNamesAndBadLengths() {
    assertThatThrownBy(() -> Cidr.parse("localhost")).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefixLength: 33 (expected: 0..32)");
  }
}
