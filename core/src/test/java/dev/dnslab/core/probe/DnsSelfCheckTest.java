package dev.dnslab.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.OneHandlerServer;
import dev.dnslab.core.transport.EventLoops;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/** The /health self-check asks a real server over UDP and judges its reply. */
class DnsSelfCheckTest {
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicReference<Integer> rcode = new AtomicReference<>(Rcode.NOERROR);
  /** What the server's answer waits for: a test can hold it until its continuation is attached. */
  private final AtomicReference<CompletableFuture<Void>> answerHeld =
      new AtomicReference<>(CompletableFuture.completedFuture(null));
  @AutoClose private final OneHandlerServer server = new OneHandlerServer();
  private final EventLoops loops = server.askingLoops();

  private InetSocketAddress startServer() throws Exception {
    return server.start(
        (request, next) -> {
          queries.incrementAndGet();
          return answerHeld.get().thenApply(released -> request.newResponse(rcode.get()));
        });
  }

  @Test
  void reportsTheRcodeOfAFailedAnswer() throws Exception {
    InetSocketAddress address = startServer();
    rcode.set(Rcode.SERVFAIL);

    String problem = DnsSelfCheck.forwarder(loops, () -> address).get().toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(problem).contains("rcode SERVFAIL", ". SOA @127.0.0.1:" + address.getPort());
  }

  @Test
  void asksAgainAfterAFailureButKeepsAGoodVerdict() throws Exception {
    InetSocketAddress address = startServer();
    DnsSelfCheck check = DnsSelfCheck.forwarder(loops, () -> address);
    rcode.set(Rcode.REFUSED);

    assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS)).contains("rcode REFUSED");
    rcode.set(Rcode.NOERROR);
    assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS)).isNull();
    assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS)).isNull();

    assertThat(queries).hasValue(2);
  }

  @Test
  void asksFromTheRolesOwnEventLoops() throws Exception {
    InetSocketAddress address = startServer();
    // Held until the continuation is attached: a reply that came first would run it on this thread.
    CompletableFuture<Void> release = new CompletableFuture<>();
    answerHeld.set(release);

    CompletableFuture<Thread> judged =
        DnsSelfCheck.forwarder(loops, () -> address).get().thenApply(problem -> Thread.currentThread()).toCompletableFuture();
    release.complete(null);
    Thread judgedOn = judged.get(5, TimeUnit.SECONDS);

    assertThat(loops.group().next().inEventLoop(judgedOn)).isTrue();
  }

  @Test
  void failsWithoutAZoneToAskAbout() throws Exception {
    InetSocketAddress address = startServer();

    String problem = DnsSelfCheck.authority(loops, () -> address, Optional::empty).get().toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(problem).isEqualTo("nothing to ask: no zone loaded");
    assertThat(queries).hasValue(0);
  }

  @Test
  void failsWhenNothingAnswers() throws Exception {
    InetSocketAddress address = startServer();
    server.stop();

    Name com = Name.fromString("com.");
    String problem =
        DnsSelfCheck.authority(loops, () -> address, () -> Optional.of(com))
            .get().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(problem).startsWith("no reply to com. SOA");
  }
}
