package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.testing.Poll;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.iterator.ServeStale;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Serve-stale (RFC 8767): every authority goes silent after the cache's data expired. Each test
 * has its own lab, since it stops it.
 */
class ServeStaleTest {
  private static final Name WWW_GOOGLE = Name.fromConstantString("www.google.com.");
  private static final Name NOSUCH_GOOGLE = Name.fromConstantString("nosuch.google.com.");
  // Everything cached expires after a second, so the test sees expiry without waiting minutes.
  private static final TtlLimits ONE_SECOND =
      new TtlLimits(0, 1, TtlLimits.DEFAULT.maxNegativeTtl(), TtlLimits.DEFAULT.failureTtl());
  /** Bounds the wait for the one-second TTLs to run out on a loaded machine; nothing is asserted against it. */
  private static final Duration EXPIRY_DEADLINE = Duration.ofSeconds(10);
  // Silent servers fail a resolution in a second, not in the default 4.5 s.
  private static final ResolutionLimits QUICK = ResolutionLimits.DEFAULT
      .withUpstreamTimeout(Duration.ofMillis(200)).withResolutionTimeout(Duration.ofSeconds(1));

  @Test
  void answersStaleDataWithEde3WhenEveryAuthorityIsSilent() throws Exception {
    try (LabHierarchy lab = LabHierarchy.start(LabHierarchy.LAB_ZONES);
        RecursorServer recursor = new RecursorServer(
            lab.recursorConfig().ttlLimits(ONE_SECOND).limits(QUICK).serveStale(ServeStale.RFC_8767).build()).start()) {
      String web = lab.plan().address(LabRole.WEB).getHostAddress();
      assertThat(Dig.answerWithoutTtl(ask(recursor))).containsExactly("www.google.com. A " + web);
      awaitExpiry(recursor);

      lab.close();
      Message stale = ask(recursor);

      assertThat(stale.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(Dig.answerWithoutTtl(stale)).containsExactly("www.google.com. A " + web);
      assertThat(stale.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(ServeStale.RFC_8767.answerTtl());
      EDNSOption option = stale.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
      assertThat(((ExtendedErrorCodeOption) option).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);
    }
  }

  @Test
  void answersStaleDataWhenTheClientResponseTimerFiresBeforeTheResolutionEnds() throws Exception {
    // RFC 8767 5: the client gets the stale answer when its timer fires, while the resolution goes
    // on: here the timer is 300 ms, and every upstream query waits a minute for a reply that never
    // comes, longer than the test runs, so the resolution is still going on however late it looks.
    ResolutionLimits slow = ResolutionLimits.DEFAULT
        .withResolutionTimeout(Duration.ofMinutes(1)).withUpstreamTimeout(Duration.ofMinutes(1));
    ServeStale quickTimer = new ServeStale(ServeStale.RFC_8767.window(), Duration.ofMillis(300),
        ServeStale.RFC_8767.answerTtl());
    try (LabHierarchy lab = LabHierarchy.start(LabHierarchy.LAB_ZONES);
        RecursorServer recursor = new RecursorServer(
            lab.recursorConfig().ttlLimits(ONE_SECOND).limits(slow).serveStale(quickTimer).build()).start()) {
      String web = lab.plan().address(LabRole.WEB).getHostAddress();
      assertThat(Dig.answerWithoutTtl(ask(recursor))).containsExactly("www.google.com. A " + web);
      awaitExpiry(recursor);

      lab.close();
      Message stale = ask(recursor);

      assertThat(recursor.resolver().inflightResolutions()).as("the resolution, still going on").isEqualTo(1);
      assertThat(Dig.answerWithoutTtl(stale)).containsExactly("www.google.com. A " + web);
      assertThat(stale.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(quickTimer.answerTtl());
      assertThat(Dig.ede(stale).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);
    }
  }

  @Test
  void answersServfailWhenServeStaleIsOff() throws Exception {
    try (LabHierarchy lab = LabHierarchy.start(LabHierarchy.LAB_ZONES);
        RecursorServer recursor = new RecursorServer(lab.recursorConfig().ttlLimits(ONE_SECOND).limits(QUICK).build()).start()) {
      assertThat(ask(recursor).getRcode()).isEqualTo(Rcode.NOERROR);
      awaitExpiry(recursor);

      lab.close();

      assertThat(ask(recursor).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }
  }

  @Test
  void answersAStaleNxdomainWithEde3WhenEveryAuthorityIsSilent() throws Exception {
    // RFC 8767 4: the cache keeps negative answers past their TTL as well as data.
    TtlLimits negativeOneSecond = new TtlLimits(0, 1, 1, TtlLimits.DEFAULT.failureTtl());
    try (LabHierarchy lab = LabHierarchy.start(LabHierarchy.LAB_ZONES);
        RecursorServer recursor = new RecursorServer(lab.recursorConfig().ttlLimits(negativeOneSecond).limits(QUICK)
            .serveStale(ServeStale.RFC_8767).build()).start()) {
      assertThat(ask(recursor, NOSUCH_GOOGLE).getRcode()).isEqualTo(Rcode.NXDOMAIN);
      Poll.until(EXPIRY_DEADLINE, () -> recursor.cache().negative(NOSUCH_GOOGLE, Type.A) == null, "the NXDOMAIN expired");

      lab.close();
      Message stale = ask(recursor, NOSUCH_GOOGLE);

      assertThat(stale.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(stale.getSection(Section.AUTHORITY)).extracting(r -> Type.string(r.getType()) + " " + r.getTTL())
          .containsExactly("SOA " + ServeStale.RFC_8767.answerTtl());
      assertThat(Dig.ede(stale).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);
    }
  }

  @Test
  void answersStaleSecureDataWithItsVerdictWhenValidating(@TempDir Path keys) throws Exception {
    try (LabHierarchy lab = LabHierarchy.startSigned(LabHierarchy.LAB_ZONES, keys);
        RecursorServer recursor = new RecursorServer(lab.recursorConfig().ttlLimits(ONE_SECOND).limits(QUICK)
            .dnssec(DnssecValidation.anchors(lab.trustAnchor().ds())).serveStale(ServeStale.RFC_8767).build())
            .start()) {
      assertThat(ask(recursor).getHeader().getFlag(Flags.AD)).as("secure when fresh").isTrue();
      awaitExpiry(recursor);

      lab.close();
      Message stale = ask(recursor);

      // The verdict it had when fresh goes with it: stale data is never validated anew (no
      // authority answers) and never served unjudged (RFC 4035 5.5).
      assertThat(stale.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(stale.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(Dig.ede(stale).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);
    }
  }

  /** www.google.com A over UDP with EDNS, so the reply can carry an EDE. */
  private static Message ask(RecursorServer recursor) throws Exception {
    return ask(recursor, WWW_GOOGLE);
  }

  /** {@code name} A over UDP with EDNS and DO, so the reply can carry an EDE and AD. */
  private static Message ask(RecursorServer recursor, Name name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(recursor.dnsAddress());
    resolver.setTimeout(Duration.ofSeconds(5));
    Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return resolver.send(query);
  }

  private static void awaitExpiry(RecursorServer recursor) {
    Poll.until(EXPIRY_DEADLINE, () -> recursor.cache().positive(WWW_GOOGLE, Type.A, CacheRank.ANSWER) == null,
        "www.google.com A expired");
  }
}
