package dev.dnslab.core.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.ZoneKeys;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.testing.AuthorityFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The keys the DNSSEC faults make or read never hold up the event loop that answers: a server with
 * one loop answers other queries while a fault's key is on its way, and the unsupported-algorithm
 * key is made when the server starts. The key folder is held by the test (its lock, which every
 * key read and made takes), the way another server of the lab holds it while it makes its keys.
 */
class DnssecFaultKeysTest {
  private static final Name GOOGLE = Name.fromConstantString("google.com.");
  private static final Name COM = Name.fromConstantString("com.");
  /** Ample for an answer that waits for nothing, even signed in a cold JVM on a busy machine. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  /** Shared: the zones' own keys are made once for both tests; each fault's keys are its own. */
  @TempDir static Path stateDir;

  @Test
  void makesTheUnsupportedAlgorithmKeyWhenItsServerStarts() throws Exception {
    KeyDirectory keys = KeyDirectory.inStateDir(stateDir);
    UnsupportedAlgorithmFault fault = new UnsupportedAlgorithmFault(QueryMatch.names(GOOGLE), GOOGLE,
        DNSSEC.Algorithm.RSAMD5, FaultListener.NONE, keys);

    try (AuthorityFixture server = start(keys, "authoritative", fault)) {
      assertThat(keys.zoneFolder(GOOGLE).resolve("unsupported-alg1.key")).as("the key, made at start").exists();
      try (HeldKeyFolder held = HeldKeyFolder.hold(keys, GOOGLE)) {
        // Neither needs the key folder now: the fault's key is in memory since the start.
        Message dnskey = query(server, GOOGLE, Type.DNSKEY).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Message other = query(server, Name.fromConstantString("example.org."), Type.SOA)
            .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(dnskey.getSection(Section.ANSWER)).as(dnskey.toString())
            .filteredOn(DNSKEYRecord.class::isInstance)
            .singleElement().extracting(r -> ((DNSKEYRecord) r).getAlgorithm()).isEqualTo(DNSSEC.Algorithm.RSAMD5);
        assertThat(other.getRcode()).isEqualTo(Rcode.NOERROR);
      }
    }
  }

  @Test
  void answersOtherQueriesWhileADsMismatchKeyIsOnItsWay() throws Exception {
    KeyDirectory keys = KeyDirectory.inStateDir(stateDir);
    DsMismatchFault fault = new DsMismatchFault(QueryMatch.names(GOOGLE), FaultListener.NONE, keys);

    try (AuthorityFixture server = start(keys, "tld", fault)) {
      CompletableFuture<Message> ds;
      try (HeldKeyFolder held = HeldKeyFolder.hold(keys, COM)) {
        // The fault's first DS answer waits for com's keys (and makes google.com's fresh key) off the loop.
        ds = query(server, GOOGLE, Type.DS);
        Message other = query(server, COM, Type.SOA).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(other.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ds).as("the DS answer, waiting for the key folder").isNotDone();
      }
      Message answer = ds.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

      ZoneKeys google = keys.load(GOOGLE).orElseThrow();
      assertThat(answer.getSection(Section.ANSWER)).as(answer.toString())
          .filteredOn(DSRecord.class::isInstance).isNotEmpty()
          .allSatisfy(r -> assertThat(google.keys()).noneMatch(k -> k.tag() == ((DSRecord) r).getFootprint()));
    }
  }

  /** A signed lab server for {@code folder} on one event loop, with {@code fault}, keys in {@code keys}. */
  private static AuthorityFixture start(KeyDirectory keys, String folder, DnsHandler fault) throws Exception {
    ZoneSigner signer = new ZoneSigner(keys, DnssecPolicy.readIn(AuthorityFixture.LAB_ZONES), SignatureWindow.DEFAULT);
    return AuthorityFixture.start(AuthorityFixture.config("authoritative-ns", List.of(AuthorityFixture.labZones(folder)))
        .toBuilder().threads(1).interceptors(List.of(fault))
        .dnssec(new DnssecSigning(signer, Clock.systemUTC(), Duration.ofDays(1)))
        .build());
  }

  /** A DO query over UDP, answered later. */
  private static CompletableFuture<Message> query(AuthorityFixture server, Name name, int type) {
    SimpleResolver resolver = new SimpleResolver(server.address());
    resolver.setTimeout(ANSWER_TIMEOUT);
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    return resolver.sendAsync(Message.newQuery(Record.newRecord(name, type, DClass.IN))).toCompletableFuture();
  }

  /**
   * The lab's key folder, locked by a thread of the test until closed: it asks for an extra key of
   * {@code zone} and makes it only once released (then refuses, so nothing is written).
   */
  private static final class HeldKeyFolder implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread holder;

    private HeldKeyFolder(KeyDirectory keys, Name zone, CountDownLatch held) {
      holder = new Thread(() -> {
        try {
          keys.loadOrCreateExtraKey(zone, "held-by-test", () -> {
            held.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("held by the test, nothing to make");
          });
        } catch (IllegalStateException expected) {
          // released
        }
      }, "key-folder-holder");
    }

    static HeldKeyFolder hold(KeyDirectory keys, Name zone) throws InterruptedException {
      CountDownLatch held = new CountDownLatch(1);
      HeldKeyFolder folder = new HeldKeyFolder(keys, zone, held);
      folder.holder.start();
      assertThat(held.await(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("the key folder held").isTrue();
      return folder;
    }

    @Override
    public void close() throws InterruptedException {
      release.countDown();
      holder.join(ANSWER_TIMEOUT.toMillis());
    }
  }
}
