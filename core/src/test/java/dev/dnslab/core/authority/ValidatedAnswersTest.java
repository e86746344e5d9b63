package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AuthorityFixture;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * One signed server holding every lab zone, asked through dnsjava's validating resolver with only
 * the lab root's trust anchor: each answer, referral-free, must validate from the root down (RFC
 * 4035 5), the negative and wildcard ones by their NSEC or NSEC3 proofs, and the two unsigned zones
 * must come out insecure (no AD) rather than bogus.
 */
class ValidatedAnswersTest {
  @TempDir static Path keyDir;
  static AuthorityFixture lab;
  static ValidatingResolver validator;

  @BeforeAll
  static void startSignedLab() throws Exception {
    lab = SignedLabServers.start(keyDir, "root", "tld", "authoritative");
    validator = SignedLabServers.validator(lab, keyDir, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}, AD {3}")
  @CsvSource({
    "www.google.com.,        A,     NOERROR,  true",   // NSEC zone, CSK
    "nosuch.google.com.,     A,     NXDOMAIN, true",   // NSEC NXDOMAIN + no wildcard
    "google.com.,            AAAA,  NOERROR,  true",   // NSEC NODATA
    "googlemail.l.google.com., A,   NOERROR,  true",
    "l.google.com.,          A,     NOERROR,  true",   // NSEC empty non-terminal
    "www.naver.com.,         A,     NOERROR,  false",  // CNAME into the unsigned nheos.com
    "www.example.org.,       A,     NOERROR,  false",  // insecure delegation proven by NSEC
    "www.example.co.kr.,     A,     NOERROR,  true",   // NSEC3 zone under NSEC3 co.kr
    "nosuch.example.co.kr.,  A,     NXDOMAIN, true",   // NSEC3 closest encloser + wildcard proof
    "x.blog.example.co.kr.,  A,     NOERROR,  true",   // NSEC3 wildcard answer
    "x.blog.example.co.kr.,  AAAA,  NOERROR,  true",   // NSEC3 wildcard NODATA
    "blog.example.co.kr.,    A,     NOERROR,  true",   // NSEC3 empty non-terminal
    "shop.example.co.kr.,    A,     NOERROR,  true",   // CNAME within the zone
    "nosuch.nhn.com.,        A,     NXDOMAIN, true",   // signed DNAME, unsigned synthesised CNAME (RFC 6672 5.3.1)
    "www.nhn.com.,           A,     NOERROR,  false",  // DNAME, then www.naver.com's CNAME into nheos.com
    "x.legacy.example.co.kr., A,    NOERROR,  true",   // DNAME into the NSEC3 wildcard
    "legacy.example.co.kr.,  DNAME, NOERROR,  true",   // the DNAME owner answered as data
    "no-such-tld.,           A,     NXDOMAIN, true",   // RSA root, NSEC
    // RFC 5155 9.2: the covering NSEC3 has Opt-Out, so the absence is only proven insecurely
    "nosuch.com.,            A,     NXDOMAIN, false",
    "nosuch.net.,            A,     NXDOMAIN, true",
    "nosuch.org.,            A,     NXDOMAIN, true",   // ED25519
  })
  void validatesFromTheLabRoot(String name, String type, String rcode, boolean authenticated) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.value(type), DClass.IN));

    Message response = validator.send(query);

    assertThat(Rcode.string(response.getRcode())).as(response.toString()).isEqualTo(rcode);
    assertThat(response.getHeader().getFlag(Flags.AD)).as(response.toString()).isEqualTo(authenticated);
  }
}
