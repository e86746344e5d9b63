package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.transport.ServerBinding;
import dev.dnslab.recursor.iterator.AddressFamilies;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded lab decides by binding whether it serves IPv6: here, on this machine's loopback
 * (which has only ::1), it stays IPv4 and so does its recursor; in a network namespace holding the
 * lab's IPv6 addresses (Ipv6NetnsIT) it serves both.
 */
class EmbeddedLabAddressFamiliesTest {
  @TempDir Path state;

  @Test
  void servesIpv6OnlyWhereItsIpv6AddressesCanBeBound() throws Exception {
    AddressPlan plan = new AddressPlan(Cidr.parse("127.53.0.0/24"), 0, 0);
    boolean bindable = ServerBinding.canBind(plan.address6(LabRole.ROOT));

    try (EmbeddedLab lab = EmbeddedLab.builder().plan(plan).zones(Path.of("../zones")).withoutDnssec()
        .withRecursor().encryptedDnsPorts(0, 0).stateDir(state).build().start()) {
      assertThat(lab.ipv6()).isEqualTo(bindable);
      assertThat(lab.recursor().resolver().selector().families())
          .isEqualTo(bindable ? AddressFamilies.BOTH : AddressFamilies.IPV4_ONLY);
    }
  }
}
