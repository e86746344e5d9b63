package dev.dnslab.recursor.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.net.Cidr;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoNotQueryListTest {
  private static final InetSocketAddress OWN = new InetSocketAddress("127.53.0.53", 53);

  private static DoNotQueryList listening(List<Cidr> allowed, InetSocketAddress... own) {
    DoNotQueryList list = new DoNotQueryList(allowed);
    list.listeningOn(List.of(own));
    return list;
  }

  @Test
  void allowsTheLabNetworkOnLoopback() {
    DoNotQueryList list = listening(List.of(Cidr.parse("127.53.0.0/24")), OWN);

    assertThat(list.refusal(new InetSocketAddress("127.53.0.11", 53))).isNull();
  }

  @Test
  void refusesItsOwnListeningAddressEvenInsideTheLabNetwork() {
    DoNotQueryList list = listening(List.of(Cidr.parse("127.53.0.0/24")), OWN);

    assertThat(list.refusal(OWN)).isEqualTo(UpstreamRefusal.OWN_ADDRESS);
    // Another port on the same address is another service, not this recursor.
    assertThat(list.refusal(new InetSocketAddress("127.53.0.53", 5353))).isNull();
  }

  @Test
  void allowsItsOwnAddressOnlyWhenTheAllowListNamesExactlyIt() {
    DoNotQueryList list = listening(List.of(Cidr.parse("127.53.0.0/24"), Cidr.parse("127.53.0.53/32")), OWN);

    assertThat(list.refusal(OWN)).isNull();
  }

  @Test
  void refusesEveryLoopbackAddressOfAWildcardListenerOnItsPort() {
    DoNotQueryList list = listening(Cidr.LOOPBACK, new InetSocketAddress("0.0.0.0", 53));

    assertThat(list.refusal(new InetSocketAddress("127.0.0.1", 53))).isEqualTo(UpstreamRefusal.OWN_ADDRESS);
  }

  @Test
  void refusesLoopbackTheAllowListDoesNotName() {
    DoNotQueryList list = listening(List.of(Cidr.parse("127.53.0.0/24")), OWN);

    assertThat(list.refusal(new InetSocketAddress("127.0.0.1", 53))).isEqualTo(UpstreamRefusal.LOOPBACK);
    assertThat(list.refusal(new InetSocketAddress("::1", 53))).isEqualTo(UpstreamRefusal.LOOPBACK);
  }

  @Test
  void allowsLoopbackTheAllowListContains() {
    DoNotQueryList list = listening(Cidr.LOOPBACK, OWN);

    assertThat(list.refusal(new InetSocketAddress("127.0.0.1", 53))).isNull();
  }

  @Test
  void refusesTheInternetAndUnusableAddresses() {
    DoNotQueryList list = listening(List.of(Cidr.parse("127.53.0.0/24")), OWN);

    assertThat(list.refusal(new InetSocketAddress("8.8.8.8", 53))).isEqualTo(UpstreamRefusal.OUTSIDE_ALLOW_LIST);
    assertThat(list.refusal(new InetSocketAddress("127.53.0.11", 0))).isEqualTo(UpstreamRefusal.NOT_AN_ADDRESS);
    assertThat(list.refusal(InetSocketAddress.createUnresolved("ns1.google.com", 53)))
        .isEqualTo(UpstreamRefusal.NOT_AN_ADDRESS);
  }
}
