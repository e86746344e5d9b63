package dev.dnslab.core.authority;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.testing.RawDns;
import dev.dnslab.testing.DnsStreamFrame;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

class ZoneTransferTest {
  @Test
  void transfersZoneToLoopbackClientOverTcp() throws Exception {
    try (AuthorityFixture server = AuthorityFixture.start("authoritative-ns", List.of(labZones("authoritative")))) {
      ZoneTransferIn xfr = ZoneTransferIn.newAXFR(Name.fromString("google.com."), server.address(), null);
      xfr.run();
      List<Record> records = xfr.getAXFR();
      assertThat(records.get(0).getType()).isEqualTo(Type.SOA);
      assertThat(records.get(records.size() - 1).getType()).isEqualTo(Type.SOA);
      assertThat(records).hasSize(server.server().zones().zones().zone(Name.fromString("google.com.")).size() + 1);
    }
  }

  @Test
  void refusesTransferToClientOutsideTheAllowList() throws Exception {
    var config = AuthorityFixture.config("authoritative-ns", List.of(labZones("authoritative")));
    config = config.toBuilder().transferClients(List.of(Cidr.parse("192.0.2.0/24"))).build();
    try (AuthorityFixture server = AuthorityFixture.start(config)) {
      Message response = overTcp(server, axfr("google.com."));
      assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
      assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }
  }

  @Test
  void answersAxfrOverUdpWithTruncation() throws Exception {
    try (AuthorityFixture server = AuthorityFixture.start("authoritative-ns", List.of(labZones("authoritative")))) {
      // dnsjava's resolver would switch to TCP by itself, so send the datagram by hand.
      Message response = new Message(RawDns.udpExchange(server.address(), axfr("google.com.").toWire(), 2000));
      assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }
  }

  @Test
  void answersNotauthForNameThatIsNotAZoneApex() throws Exception {
    try (AuthorityFixture server = AuthorityFixture.start("authoritative-ns", List.of(labZones("authoritative")))) {
      assertThat(overTcp(server, axfr("www.google.com.")).getRcode()).isEqualTo(Rcode.NOTAUTH);
    }
  }

  private static Message overTcp(AuthorityFixture server, Message query) throws Exception {
    try (java.net.Socket socket = RawDns.tcp(server.address(), 3000)) {
      DnsStreamFrame.write(new java.io.DataOutputStream(socket.getOutputStream()), query.toWire());
      return new Message(DnsStreamFrame.read(new java.io.DataInputStream(socket.getInputStream())));
    }
  }

  private static Message axfr(String zone) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(zone), Type.AXFR, DClass.IN));
  }
}
