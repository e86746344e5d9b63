package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import java.io.ByteArrayInputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The validator against a real signed authority server on 127.0.0.1 (every lab zone, core's
 * AuthorityServer with the lab's signing), keys fetched over UDP, the anchor read from the file
 * {@code dnslab trust-anchor} writes; each verdict cross-checked with dnsjava's own
 * ValidatingResolver over the same server.
 */
class ValidatorOverSocketsTest {
  @TempDir static Path anchorDir;
  static AuthorityServer server;
  static Validator validator;
  static ValidatingResolver dnsjava;
  static Path anchorFile;

  @BeforeAll
  static void startSignedServer() throws Exception {
    SignedLabAuthorities lab = SignedLabAuthorities.shared();
    ZoneSigner signer = new ZoneSigner(lab.keyDirectory(), DnssecPolicy.readIn(SignedLabAuthorities.LAB_ZONES),
        SignatureWindow.DEFAULT);
    server = new AuthorityServer(AuthorityConfig.builder("authoritative-ns")
        .listen(new InetSocketAddress("127.0.0.1", 0)).admin(new InetSocketAddress("127.0.0.1", 0))
        .zoneSources(List.of("root", "tld", "authoritative").stream().map(SignedLabAuthorities.LAB_ZONES::resolve).toList())
        .dnssec(new DnssecSigning(signer, Clock.systemUTC(), Duration.ofDays(1)))
        .threads(1).build()).start();
    TrustAnchor anchor = TrustAnchor.of(lab.keyDirectory().load(Name.root).orElseThrow());
    anchorFile = anchorDir.resolve("trust-anchor.ds");
    Files.writeString(anchorFile, anchor.anchorFileText());
    validator = new Validator(TrustAnchors.read(anchorFile), new UdpKeySource(server.dnsAddress(), Duration.ofSeconds(2)),
        ResolutionLimits.DEFAULT.validation(), Clock.systemUTC());
    dnsjava = new ValidatingResolver(new SimpleResolver(server.dnsAddress()), Clock.systemUTC());
    dnsjava.loadTrustAnchors(new ByteArrayInputStream(anchor.anchorFileText().getBytes(StandardCharsets.US_ASCII)));
    dnsjava.setTimeout(Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource({
    "www.google.com.,          A,    SECURE",
    "nosuch.google.com.,       A,    SECURE",
    "google.com.,              AAAA, SECURE",
    "www.example.co.kr.,       A,    SECURE",
    "nosuch.example.co.kr.,    A,    SECURE",
    "x.blog.example.co.kr.,    A,    SECURE",
    "x.blog.example.co.kr.,    AAAA, SECURE",
    "no-such-tld.,             A,    SECURE",
    "nosuch.net.,              A,    SECURE",
    "www.example.org.,         A,    INSECURE",
    "www.naver.com.,           A,    INSECURE",
    "nosuch.com.,              A,    INSECURE",
  })
  void agreesWithDnsjavasValidatingResolver(String name, String type, Security expected) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.value(type), DClass.IN));
    SignedAnswer answer = new UdpKeySource(server.dnsAddress(), Duration.ofSeconds(2))
        .fetch(Name.fromString(name), Type.value(type)).get(10, TimeUnit.SECONDS);

    Validation ours = validator.validate(answer).get(10, TimeUnit.SECONDS);
    Message theirs = dnsjava.send(query);

    assertThat(ours.verdict().security()).as(ours.verdict().reason()).isEqualTo(expected);
    assertThat(theirs.getHeader().getFlag(Flags.AD)).as(theirs.toString()).isEqualTo(expected == Security.SECURE);
    assertThat(theirs.getRcode()).isEqualTo(answer.rcode());
  }

  @Test
  void isIndeterminateWhenNoAuthorityAnswersForTheKeys() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      Validator cut = new Validator(TrustAnchors.read(anchorFile),
          new UdpKeySource((InetSocketAddress) silent.getLocalSocketAddress(), Duration.ofMillis(200)),
          ResolutionLimits.DEFAULT.validation(), Clock.systemUTC());
      SignedAnswer answer = new UdpKeySource(server.dnsAddress(), Duration.ofSeconds(2))
          .fetch(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);

      Validation validation = cut.validate(answer).get(10, TimeUnit.SECONDS);

      assertThat(validation.verdict().security()).isEqualTo(Security.INDETERMINATE);
      assertThat(validation.verdict().edeCode()).isEqualTo(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
      assertThat(validation.verdict().reason()).contains("could not fetch ./DNSKEY", "SERVFAIL");
      assertThat(answer.rcode()).isEqualTo(Rcode.NOERROR);
    }
  }
}
