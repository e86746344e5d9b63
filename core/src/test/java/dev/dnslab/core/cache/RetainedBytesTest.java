package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

class RetainedBytesTest {
  @Test
  void countsEveryRecordAsLongAsItsCanonicalWireForm() throws Exception {
    Name owner = Name.fromString("Www.Example.ORG.");
    List<Record> records = List.of(
        new ARecord(owner, DClass.IN, 300, InetAddress.getByName("127.53.0.80")),
        new AAAARecord(owner, DClass.IN, 300, InetAddress.getByName("fd00:53:53:127::80")),
        new NSRecord(owner, DClass.IN, 300, Name.fromString("NS1.a-rather-long-name-server.example.org.")),
        new CNAMERecord(owner, DClass.IN, 300, Name.fromString("Target.Example.NET.")),
        new MXRecord(owner, DClass.IN, 300, 10, Name.fromString("mail.example.org.")),
        new TXTRecord(owner, DClass.IN, 300, "v=spf1 -all"));

    for (Record record : records) {
      // RFC 4034 6.2: owner, then type, class, TTL and RDLENGTH (10 octets), then the RDATA.
      assertThat(RetainedBytes.wireLength(record))
          .as(record.toString())
          .isEqualTo(owner.length() + 10 + record.rdataToWireCanonical().length);
    }
  }
}
