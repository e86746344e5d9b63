package dev.dnslab.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsQueryDecoderTest {
  private static final Name NAME = Name.fromConstantString("www.example.org.");

  private static Message query() {
    return Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
  }

  /** Why the decoder rejected {@code wire} with FORMERR; fails the test when it did not. */
  private static MalformedReason rejection(byte[] wire) {
    DecodedPacket decoded = DnsQueryDecoder.decode(wire);
    assertThat(decoded).isInstanceOf(DecodedPacket.Rejected.class);
    return ((DecodedPacket.Rejected) decoded).reason();
  }

  @Test
  void acceptsAPlainQueryWithAndWithoutOpt() {
    assertThat(DnsQueryDecoder.decode(query().toWire())).isInstanceOf(DecodedPacket.Query.class);
    Message withOpt = query();
    withOpt.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    DecodedPacket decoded = DnsQueryDecoder.decode(withOpt.toWire());
    assertThat(decoded).isInstanceOf(DecodedPacket.Query.class);
    assertThat(((DecodedPacket.Query) decoded).message().getOPT().getPayloadSize()).isEqualTo(1232);
  }

  @Test
  void rejectsATruncatedQueryMissingARecordItsCountPromised() throws Exception {
    Message query = query();
    query.getHeader().setFlag(Flags.TC);
    query.addRecord(new ARecord(NAME, DClass.IN, 60, java.net.InetAddress.getByName("192.0.2.1")), Section.AUTHORITY);
    byte[] wire = query.toWire();
    byte[] cut = Arrays.copyOf(wire, wire.length - 4); // the A record's RDATA cut short
    assertThat(rejection(cut)).isEqualTo(MalformedReason.UNPARSEABLE);
  }

  @Test
  void rejectsAnOptOutsideTheAdditionalSection() {
    Message query = query();
    query.addRecord(new OPTRecord(1232, 0, 0), Section.AUTHORITY);
    assertThat(rejection(query.toWire())).isEqualTo(MalformedReason.MISPLACED_OPT);
  }

  @Test
  void rejectsTwoOptRecords() {
    Message query = query();
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    assertThat(rejection(query.toWire())).isEqualTo(MalformedReason.MULTIPLE_OPT);
  }
}
