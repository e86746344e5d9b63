package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.fault.TruncateFault;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.trace.Priming;
import dev.dnslab.recursor.trace.TraceStep;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Priming (RFC 9609): the root NS set asked of a hinted root server, at start and on expiry. */
class RootPrimingTest {
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(300);

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES);

  @Test
  void primesTheRootNsSetAndItsAddressesAtStart() {
    Priming priming = recursor.server().resolver().priming();

    assertThat(priming.rootServers()).isEqualTo(Priming.RootServers.PRIMED);
    TraceStep step = priming.steps().get(priming.steps().size() - 1);
    assertThat(step.question()).isEqualTo(new TraceStep.Question(".", "NS"));
    assertThat(step.server().role()).isEqualTo("root");
    assertThat(step.reply()).isEqualTo("ANSWER");
    assertThat(priming.why()).contains("RFC 9609", "hints");
    CacheEntry.Positive nameServers = recursor.server().cache().positive(Name.root, Type.NS, CacheRank.ANSWER);
    assertThat(nameServers).isNotNull();
    CacheEntry.Positive glue =
        recursor.server().cache().positive(Name.fromConstantString("a.root-servers.net."), Type.A, CacheRank.GLUE);
    assertThat(glue).isNotNull();
    assertThat(glue.records().get(0).rdataToString())
        .isEqualTo(recursor.lab().plan().address(LabRole.ROOT).getHostAddress());
  }

  @Test
  void showsThePrimingRoundBesideTheTrace() throws Exception {
    var trace = recursor.server().resolver().trace(Name.fromString("www.google.com."), Type.A).get();

    assertThat(trace.priming().rootServers()).isEqualTo(Priming.RootServers.PRIMED);
    assertThat(trace.priming().steps()).extracting(TraceStep::note)
        .last().asString().contains("used instead of the hints");
  }

  @Test
  void primesAgainWhenTheRootNsSetExpires() throws Exception {
    // max-ttl 1 s: the primed root NS set expires a second after start.
    try (RecursorServer shortLived = new RecursorServer(recursor.lab().recursorConfig()
        .ttlLimits(new TtlLimits(0, 1, TtlLimits.DEFAULT.maxNegativeTtl(), TtlLimits.DEFAULT.failureTtl()))
        .build()).start()) {
      Priming atStart = shortLived.resolver().priming();
      assertThat(atStart.rootServers()).isEqualTo(Priming.RootServers.PRIMED);

      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (shortLived.resolver().priming() == atStart && System.nanoTime() < deadline) {
        Dig.query(shortLived.dnsAddress(), "www.google.com.", Type.A);
      }

      Priming again = shortLived.resolver().priming();
      assertThat(again).isNotSameAs(atStart);
      assertThat(again.rootServers()).isEqualTo(Priming.RootServers.PRIMED);
    }
  }

  @Test
  void asksOverTcpWhenThePrimingReplyIsTruncated() throws Exception {
    // Given: a second root server, on the lab network, that answers every NS question over UDP
    // with TC set and nothing else (the lab's own truncate fault), and over TCP normally.
    InetAddress truncating = recursor.lab().plan().translate(InetAddress.getByName("127.53.0.21"));
    try (AuthorityServer root = new AuthorityServer(AuthorityConfig.builder("root-ns")
            .listen(new InetSocketAddress(truncating, recursor.lab().port()))
            .admin(new InetSocketAddress(truncating, 0))
            .zoneSources(List.of(LabHierarchy.LAB_ZONES.resolve("root")))
            .zoneRewrite(recursor.lab().plan().zoneRewrite())
            .interceptors(List.of(new TruncateFault(new QueryMatch(List.of(), Set.of(Type.NS)), FaultListener.NONE)))
            .threads(1)
            .build());
        RecursorServer primed = startAfter(root, recursor.lab().recursorConfig()
            .rootHints(RootHints.single(Name.fromConstantString("a.root-servers.net."), truncating)))) {

      // Then: the priming round asked over UDP, was truncated, asked the same server over TCP.
      Priming priming = primed.resolver().priming();
      assertThat(priming.rootServers()).isEqualTo(Priming.RootServers.PRIMED);
      assertThat(priming.steps()).extracting(s -> s.transport() + " " + s.reply() + " " + s.server().address())
          .containsExactly("udp TRUNCATED " + truncating.getHostAddress(), "tcp ANSWER " + truncating.getHostAddress());
      assertThat(primed.cache().positive(Name.root, Type.NS, CacheRank.ANSWER)).isNotNull();
    }
  }

  private static RecursorServer startAfter(AuthorityServer root, RecursorConfig.Builder config) throws Exception {
    root.start();
    return new RecursorServer(config.build()).start();
  }

  @Test
  void fallsBackToTheHintsWhenNoHintedServerAnswers() throws Exception {
    InetAddress silent = recursor.lab().plan().translate(InetAddress.getByName("127.53.0.99"));
    try (RecursorServer unprimed = new RecursorServer(recursor.lab().recursorConfig()
        .rootHints(RootHints.single(Name.fromConstantString("a.root-servers.net."), silent))
        .limits(ResolutionLimits.DEFAULT.withUpstreamTimeout(UPSTREAM_TIMEOUT))
        .build()).start()) {
      Priming priming = unprimed.resolver().priming();
      assertThat(priming.rootServers()).isEqualTo(Priming.RootServers.HINTS);
      assertThat(priming.steps()).isNotEmpty().allSatisfy(step -> assertThat(step.reply()).isIn("TIMEOUT", "ERROR"));
      assertThat(unprimed.cache().positive(Name.root, Type.NS, CacheRank.ANSWER)).isNull();
      // Start waited a bounded time: at most that many attempts, each for the upstream timeout.
      assertThat(priming.steps()).hasSizeLessThanOrEqualTo(ResolutionLimits.MAX_PRIMING_ATTEMPTS)
          .filteredOn(step -> step.reply().equals("TIMEOUT"))
          .allSatisfy(step -> assertThat(step.note()).contains("within " + UPSTREAM_TIMEOUT.toMillis() + "ms;"));
    }
  }
}
