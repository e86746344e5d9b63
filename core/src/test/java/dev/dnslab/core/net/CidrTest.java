package dev.dnslab.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Random;
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
  void containsExactlyTheAddressesThatShareThePrefixBitsAtEveryLength() throws Exception {
    Random random = new Random(16);
    for (int size : new int[] {4, 16}) {
      for (int round = 0; round < 50; round++) {
        byte[] network = new byte[size];
        random.nextBytes(network);
        network[0] |= 0x01; // never an IPv4-mapped or compatible IPv6 address, which Java turns into IPv4
        byte[] near = network.clone();
        int flipped = random.nextInt(size * 8); // the first bit where the candidate differs
        near[flipped / 8] ^= (byte) (0x80 >>> (flipped % 8));
        InetAddress candidate = InetAddress.getByAddress(near);
        for (int length = 0; length <= size * 8; length++) {
          Cidr cidr = new Cidr(InetAddress.getByAddress(network), length);
          assertThat(cidr.contains(candidate)).as("%s contains %s", cidr, candidate).isEqualTo(flipped >= length);
          assertThat(cidr.contains(InetAddress.getByAddress(network))).isTrue();
        }
      }
    }
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
