package dev.dnslab.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
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
  void isEqualToAnotherPrefixOfTheSameNetworkAndLengthOnly() {
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8")).hasSameHashCodeAs(Cidr.parse("10.9.9.9/8"));
    assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/16")).isNotEqualTo(Cidr.parse("11.0.0.0/8"));
  }

  @Test
  void containsNoAddressOfTheOtherFamily() throws Exception {
    assertThat(Cidr.parse("::/0").contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("2001:db8::1"))).isFalse();
    // Java makes an IPv4-mapped IPv6 literal an IPv4 address: it is one.
    assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("::ffff:10.0.0.1"))).isTrue();
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

  @Test
  void containsOnPrefixesThatEndInsideAByte() throws Exception {
    Cidr v4 = Cidr.parse("192.0.2.128/25");
    assertThat(v4.contains(InetAddress.getByName("192.0.2.200"))).isTrue();
    assertThat(v4.contains(InetAddress.getByName("192.0.2.127"))).isFalse();
    Cidr v6 = Cidr.parse("2001:db8:8000::/33");
    assertThat(v6.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
    assertThat(v6.contains(InetAddress.getByName("2001:db8:7fff::1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("::/0").contains(InetAddress.getByName("127.0.0.1"))).isFalse();
  }

  @Test
  void containsAgreesWithMaskingTheCandidateIntoAPrefixOfItsOwn() throws Exception {
    // The byte-wise test must give what masking the candidate and comparing networks gives.
    Random random = new Random(16);
    for (int round = 0; round < 2000; round++) {
      byte[] net = new byte[random.nextBoolean() ? 4 : 16];
      random.nextBytes(net);
      int length = random.nextInt(net.length * 8 + 1);
      Cidr range = new Cidr(InetAddress.getByAddress(net), length);
      byte[] candidate = net.clone();
      // flip one random bit: inside the prefix it leaves the range, after it it stays in
      int bit = random.nextInt(net.length * 8);
      candidate[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
      InetAddress address = InetAddress.getByAddress(candidate);
      boolean expected = address.getAddress().length == range.network().getAddress().length
          && new Cidr(address, length).network().equals(range.network());
      assertThat(range.contains(address)).as("%s in %s", address, range).isEqualTo(expected);
      assertThat(Cidr.anyContains(List.of(range), InetAddress.getByAddress(net))).isEqualTo(
          InetAddress.getByAddress(net).getAddress().length == range.network().getAddress().length);
    }
  }
}
