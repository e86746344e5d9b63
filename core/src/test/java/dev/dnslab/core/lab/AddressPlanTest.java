package dev.dnslab.core.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.testing.AuthorityFixture;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class AddressPlanTest {
  private final AddressPlan compose = AddressPlan.EMBEDDED.withNetwork(AddressPlan.COMPOSE_NETWORK);

  @Test
  void keepsHostNumbersAcrossDeployments() throws Exception {
    assertThat(AddressPlan.EMBEDDED.address(LabRole.ROOT).getHostAddress()).isEqualTo("127.53.0.11");
    assertThat(compose.address(LabRole.ROOT).getHostAddress()).isEqualTo("172.28.53.11");
    assertThat(compose.address(LabRole.WEB).getHostAddress()).isEqualTo("172.28.53.80");
    assertThat(compose.translate(InetAddress.getByName("127.53.0.13")).getHostAddress()).isEqualTo("172.28.53.13");
    assertThat(compose.translate(InetAddress.getByName("192.0.2.1")).getHostAddress()).isEqualTo("192.0.2.1");
  }

  @Test
  void rewritesGlueAndHostsWhenLoadingZonesForCompose() throws Exception {
    Zone com = new ZoneFileLoader(compose.zoneRewrite()).load(AuthorityFixture.labZones("tld").resolve("com.zone"));
    ARecord glue = (ARecord) com.rrset(Name.fromString("ns1.google.com."), Type.A).first();
    assertThat(glue.getAddress().getHostAddress()).isEqualTo("172.28.53.13");
  }

  @Test
  void writesTheHostNumberAsTheLastIpv6Group() throws Exception {
    assertThat(AddressPlan.EMBEDDED.address6(LabRole.ROOT)).isEqualTo(InetAddress.getByName("fd00:53:53:127::11"));
    assertThat(AddressPlan.EMBEDDED.address6(LabRole.ROUTER)).isEqualTo(InetAddress.getByName("fd00:53:53:127::254"));
    assertThat(compose.address6(LabRole.RECURSOR)).isEqualTo(InetAddress.getByName("fd00:53:53:172::53"));
    assertThat(AddressPlan.LAB_IPV6_PREFIX.contains(compose.address6(LabRole.WEB))).isTrue();
  }

  @Test
  void rewritesAaaaGlueWhenLoadingZonesForCompose() throws Exception {
    Zone com = new ZoneFileLoader(compose.zoneRewrite()).load(AuthorityFixture.labZones("tld").resolve("com.zone"));
    AAAARecord glue = (AAAARecord) com.rrset(Name.fromString("ns1.google.com."), Type.AAAA).first();
    assertThat(glue.getAddress()).isEqualTo(InetAddress.getByName("fd00:53:53:172::13"));
  }
}
