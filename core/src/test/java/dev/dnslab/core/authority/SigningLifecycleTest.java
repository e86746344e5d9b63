package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.dnssec.Denial;
import dev.dnslab.core.dnssec.DnssecAlgorithm;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.KeyStyle;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.SignedZone;
import dev.dnslab.core.dnssec.SigningMetrics;
import dev.dnslab.core.dnssec.ZoneSigning;
import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.zone.ZoneLoadException;
import dev.dnslab.testing.MetricsScrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A signed server over days: renewal before expiry (with a clock the test moves, never a sleep),
 * the metrics and admin view of it, and a reload whose signing fails keeping the last good zones.
 */
class SigningLifecycleTest {
  @TempDir Path keyDir;

  /** A clock the test moves forward. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    void advance(Duration by) {
      now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void renewsSignaturesBeforeTheyExpireAndCountsThem() throws Exception {
    MovableClock clock = new MovableClock();
    DnssecSigning signing = SignedLabServers.signing(keyDir, clock, SignatureWindow.DEFAULT);
    try (AuthorityFixture server = SignedLabServers.start(signing, "authoritative")) {
      Instant firstExpiry = signatureExpiry(server);
      assertThat(server.server().renewDueSignatures()).isEmpty();

      clock.advance(Duration.ofDays(8)); // past renewal (a week before expiry), before expiry
      List<SignedZone> renewed = server.server().renewDueSignatures();

      assertThat(renewed).extracting(z -> z.origin().toString())
          .containsExactlyInAnyOrder("google.com.", "naver.com.", "nhn.com.", "example.co.kr.", "v6only.net.", "v6lame.net.");
      assertThat(signatureExpiry(server)).isEqualTo(clock.instant().plus(SignatureWindow.DEFAULT.validity()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
          .isAfter(firstExpiry);
      var registry = server.server().registry();
      assertThat(registry.get(SigningMetrics.SIGNING_RUNS).tags("role", "authoritative-ns", "reason", "renewal").counter().count()).isEqualTo(6); // one per renewed zone
      assertThat(registry.get(SigningMetrics.SIGNATURES).tags("role", "authoritative-ns").counter().count())
          .isEqualTo(2.0 * renewed.stream().mapToInt(SignedZone::signatureCount).sum());
      assertThat(registry.get(SigningMetrics.SIGNATURE_EXPIRY).tags("role", "authoritative-ns").gauge().value())
          .isEqualTo(SignatureWindow.DEFAULT.validity().toSeconds(), org.assertj.core.data.Offset.offset(1.0));
    }
  }

  @Test
  void backgroundTaskRenewsWithoutBeingAsked() throws Exception {
    MovableClock clock = new MovableClock();
    DnssecSigning base = SignedLabServers.signing(keyDir, clock, SignatureWindow.DEFAULT);
    DnssecSigning signing = new DnssecSigning(base.signer(), clock, Duration.ofMillis(20));
    try (AuthorityFixture server = SignedLabServers.start(signing, "authoritative")) {
      Instant firstExpiry = signatureExpiry(server);

      clock.advance(Duration.ofDays(8));

      Instant deadline = Instant.now().plusSeconds(10);
      while (!signatureExpiry(server).isAfter(firstExpiry) && Instant.now().isBefore(deadline)) {
        Thread.onSpinWait();
      }
      assertThat(signatureExpiry(server)).isAfter(firstExpiry);
    }
  }

  @Test
  void showsKeysDsDenialAndExpiryOnTheAdminPort() throws Exception {
    try (AuthorityFixture server = SignedLabServers.start(keyDir, "tld")) {
      String zones = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.server().adminAddress().getPort() + "/zones")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      String metrics = MetricsScrape.of(server.server().adminAddress()).text();

      int comKsk = new KeyDirectory(keyDir).load(Name.fromString("com.")).orElseThrow().keySigningKeys().get(0).tag();
      assertThat(zones).contains("\"denial\" : \"NSEC3 opt-out\"").contains("\"denial\" : \"NSEC\"")
          .contains("\"algorithm\" : \"ED25519 (15)\"").contains("\"tag\" : " + comKsk)
          .contains("\"" + comKsk + " 13 2 ").contains("\"expiration\" : ");
      assertThat(metrics).contains("dns_dnssec_signatures_total{role=\"authoritative-ns\"}")
          .contains("dns_dnssec_signing_runs_total{reason=\"load\",role=\"authoritative-ns\"} 5.0")
          .contains("dns_dnssec_signature_expiry_seconds{role=\"authoritative-ns\"}");
    }
  }

  @Test
  void keepsTheLastGoodSignedZonesWhenSigningFails() throws Exception {
    try (AuthorityFixture server = SignedLabServers.start(keyDir, "authoritative")) {
      // Keys that no longer follow the policy (RSA where it asks for ECDSA): the signer
      // refuses them rather than sign with the wrong algorithm.
      new KeyDirectory(keyDir).createNew(Name.fromString("google.com."),
          new ZoneSigning.Signed(DnssecAlgorithm.RSASHA256, KeyStyle.CSK, new Denial.Nsec()));

      assertThatThrownBy(() -> server.server().reload()).isInstanceOf(ZoneLoadException.class)
          .hasMessageContaining("cannot sign google.com.");

      Message answer = SignedLabServers.queryWithDo(server, "www.google.com.", Type.A);
      assertThat(answer.getSection(Section.ANSWER)).anyMatch(r -> r instanceof RRSIGRecord sig
          && sig.getAlgorithm() == DnssecAlgorithm.ECDSAP256SHA256.number());
    }
  }

  private static Instant signatureExpiry(AuthorityFixture server) throws Exception {
    Message answer = SignedLabServers.queryWithDo(server, "www.google.com.", Type.A);
    return answer.getSection(Section.ANSWER).stream().filter(r -> r instanceof RRSIGRecord)
        .map(r -> ((RRSIGRecord) r).getExpire()).findFirst().orElseThrow();
  }
}
