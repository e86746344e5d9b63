package dev.dnslab.recursor.doh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The Cache-Control max-age of a DoH answer (RFC 8484 5.1), read from the answer's wire form. */
class DohRequestMaxAgeTest {
  private static final Name WWW = name("www.example.com.");
  private static final Name ZONE = name("example.com.");

  @Test
  void isTheSmallestTtlOfTheAnswerSection() throws Exception {
    Message answer = response(Rcode.NOERROR);
    answer.addRecord(new CNAMERecord(WWW, DClass.IN, 300, name("web.example.com.")), Section.ANSWER);
    answer.addRecord(new ARecord(name("web.example.com."), DClass.IN, 60, address("192.0.2.1")), Section.ANSWER);
    answer.addRecord(new ARecord(name("web.example.com."), DClass.IN, 120, address("192.0.2.2")), Section.ANSWER);

    assertThat(DohRequest.maxAgeSeconds(answer.toWire())).isEqualTo(60);
  }

  @Test
  void countsTheAuthoritySectionButNotTheAdditional() throws Exception {
    Message answer = response(Rcode.NOERROR);
    answer.addRecord(new ARecord(WWW, DClass.IN, 3600, address("192.0.2.1")), Section.ANSWER);
    answer.addRecord(new NSRecord(ZONE, DClass.IN, 1800, name("ns1.example.com.")), Section.AUTHORITY);
    answer.addRecord(new ARecord(name("ns1.example.com."), DClass.IN, 5, address("192.0.2.53")), Section.ADDITIONAL);

    assertThat(DohRequest.maxAgeSeconds(answer.toWire())).isEqualTo(1800);
  }

  @Test
  void isTheSoaTtlOfANegativeAnswerWhenSmallerThanItsMinimum() throws Exception {
    Message nxdomain = response(Rcode.NXDOMAIN);
    nxdomain.addRecord(soa(900, 3600), Section.AUTHORITY);

    assertThat(DohRequest.maxAgeSeconds(nxdomain.toWire())).isEqualTo(900);
  }

  @Test
  void isTheSoaMinimumOfANegativeAnswerWhenSmallerThanItsTtl() throws Exception {
    // RFC 2308 5: a negative answer lives no longer than the SOA's MINIMUM field
    Message nodata = response(Rcode.NOERROR);
    nodata.addRecord(soa(3600, 300), Section.AUTHORITY);

    assertThat(DohRequest.maxAgeSeconds(nodata.toWire())).isEqualTo(300);
  }

  @Test
  void isZeroForAnAnswerWithoutRecords() throws Exception {
    assertThat(DohRequest.maxAgeSeconds(response(Rcode.SERVFAIL).toWire())).isZero();
  }

  @Test
  void isZeroForBytesThatAreNoDnsMessage() throws Exception {
    Message answer = response(Rcode.NOERROR);
    answer.addRecord(new ARecord(WWW, DClass.IN, 60, address("192.0.2.1")), Section.ANSWER);
    byte[] wire = answer.toWire();

    assertThat(DohRequest.maxAgeSeconds(new byte[] {1, 2, 3})).isZero();
    assertThat(DohRequest.maxAgeSeconds(Arrays.copyOf(wire, wire.length - 6))).isZero();
  }

  private static Message response(int rcode) {
    Message message = Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN));
    message.getHeader().setFlag(Flags.QR);
    message.getHeader().setRcode(rcode);
    return message;
  }

  private static SOARecord soa(long ttl, long minimum) {
    return new SOARecord(ZONE, DClass.IN, ttl, name("ns1.example.com."), name("hostmaster.example.com."),
        2026120301, 7200, 900, 1209600, minimum);
  }

  private static Name name(String name) {
    try {
      return Name.fromString(name);
    } catch (Exception e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  private static java.net.InetAddress address(String literal) {
    try {
      return java.net.InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
