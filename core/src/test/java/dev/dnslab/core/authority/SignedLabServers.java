package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.ZoneKey;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.testing.AuthorityFixture;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** Signed lab authority servers for tests: the lab's zones and policy, keys in a test folder. */
final class SignedLabServers {
  private SignedLabServers() {}

  static DnssecSigning signing(Path keyDir, Clock clock, SignatureWindow window) throws Exception {
    ZoneSigner signer = new ZoneSigner(new KeyDirectory(keyDir), DnssecPolicy.readIn(AuthorityFixture.LAB_ZONES), window);
    return new DnssecSigning(signer, clock, Duration.ofDays(1));
  }

  /** A signed server for the given lab folders (root, tld, authoritative), on 127.0.0.1. */
  static AuthorityFixture start(Path keyDir, String... folders) throws Exception {
    return start(signing(keyDir, Clock.systemUTC(), SignatureWindow.DEFAULT), folders);
  }

  static AuthorityFixture start(DnssecSigning signing, String... folders) throws Exception {
    List<Path> sources = java.util.Arrays.stream(folders).map(AuthorityFixture::labZones).toList();
    return AuthorityFixture.start(AuthorityFixture.config("authoritative-ns", sources).toBuilder().dnssec(signing).build());
  }

  static TrustAnchor anchor(Path keyDir) {
    return TrustAnchor.of(new KeyDirectory(keyDir).load(Name.root).orElseThrow());
  }

  /** dnsjava's validator (RFC 4035 5) over {@code server}, trusting the lab root's key. */
  static ValidatingResolver validator(AuthorityFixture server, Path keyDir, Clock clock) throws Exception {
    ValidatingResolver validator = new ValidatingResolver(server.udp(), clock);
    validator.loadTrustAnchors(new ByteArrayInputStream(anchor(keyDir).anchorFileText().getBytes(StandardCharsets.US_ASCII)));
    validator.setTimeout(Duration.ofSeconds(5));
    return validator;
  }

  /** A UDP query with EDNS and DO set, as a validating resolver sends it (RFC 3225 3). */
  static Message queryWithDo(AuthorityFixture server, String name, int type) throws Exception {
    SimpleResolver resolver = server.udp();
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  /**
   * Every RRSIG in the section verifies over its RRset with {@code signer}'s key from the key folder,
   * and every RRset but a referral's NS (not signed, RFC 4035 2.2) has one.
   */
  static void verifyAll(Path keyDir, Message response, int section, String signer) throws Exception {
    List<ZoneKey> keys = new KeyDirectory(keyDir).load(Name.fromString(signer)).orElseThrow().keys();
    int verified = 0;
    for (RRset set : response.getSectionRRsets(section)) {
      for (RRSIGRecord signature : set.sigs()) {
        assertThat(signature.getSigner()).isEqualTo(Name.fromString(signer));
        DNSKEYRecord key = keys.stream().map(ZoneKey::dnskey)
            .filter(k -> k.getFootprint() == signature.getFootprint()).findFirst().orElseThrow();
        DNSSEC.verify(set, signature, key, Instant.now());
        verified++;
      }
      if (set.getType() != Type.NS) {
        assertThat(set.sigs()).as(set.getName() + " " + Type.string(set.getType())).isNotEmpty();
      }
    }
    assertThat(verified).isPositive();
  }
}
