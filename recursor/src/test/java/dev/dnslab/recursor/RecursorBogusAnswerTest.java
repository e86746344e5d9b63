package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A zone whose signatures are broken (the dnssec-bad-signature scenario over the signed lab): bogus
 * answers are SERVFAIL with an Extended DNS Error, remembered only briefly (RFC 9520 3.2, RFC 4035
 * 4.7), then fetched afresh.
 */
class RecursorBogusAnswerTest {
  @TempDir Path keys;

  @Test
  void remembersABogusAnswerBrieflyThenAsksAgain() throws Exception {
    try (LabHierarchy lab = LabHierarchy.startSigned("dnssec-bad-signature", keys, 0);
        RecursorServer recursor = new RecursorServer(lab.recursorConfig()
            .dnssec(DnssecValidation.anchors(lab.trustAnchor().ds())).build()).start()) {
      Message first = Dig.queryEdns(recursor.dnsAddress(), "www.google.com.", Type.A, true, false, false);
      assertThat(first.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(Dig.ede(first).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.DNSSEC_BOGUS);
      double sent = upstreamQueries(recursor);

      Message soon = Dig.queryEdns(recursor.dnsAddress(), "www.google.com.", Type.A, true, false, false);
      assertThat(soon.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(upstreamQueries(recursor)).as("within the failure TTL: nothing asked").isEqualTo(sent);

      // After the 5 s a bogus verdict is kept, the data is forgotten and asked for again.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (upstreamQueries(recursor) == sent && System.nanoTime() < deadline) {
        Message later = Dig.queryEdns(recursor.dnsAddress(), "www.google.com.", Type.A, true, false, false);
        assertThat(later.getRcode()).isEqualTo(Rcode.SERVFAIL);
        Thread.sleep(250); // polling until the deadline, not hoping
      }
      assertThat(upstreamQueries(recursor)).as("asked again once the bogus verdict ran out").isGreaterThan(sent);
    }
  }

  private static double upstreamQueries(RecursorServer recursor) {
    return recursor.registry().find(RecursorMetrics.UPSTREAM_QUERIES).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }
}
