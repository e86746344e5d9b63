package dev.dnslab.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Where the router handles the recursor's reply to a cache miss: on the event loop that took the
 * question (of two, so not by chance), so the answer is written from there at once, with no
 * hand-over to another thread; the answer is the same from a thread on no loop.
 */
class ForwardingHandlerThreadTest {
  private static final Name WWW = Name.fromConstantString("www.google.com.");
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
  private static final DnsChain NO_NEXT = request -> CompletableFuture.completedFuture(request.newResponse(Rcode.REFUSED));

  /** Completed by the test to let the stand-in recursor answer the question it holds. */
  private final CompletableFuture<Void> release = new CompletableFuture<>();
  private final CompletableFuture<Void> asked = new CompletableFuture<>();
  /** The router's loops: a forwarded question's socket is on one of them, as in RouterServer. */
  private final EventLoops loops = EventLoops.start(NettyTransport.best(), 2);
  private final EventLoop loop = loops.group().next();
  private DnsServer recursor;
  private ForwardingHandler forwarding;

  @BeforeEach
  void start() throws Exception {
    recursor = RouterServerTest.standInRecursor((request, next) -> {
      asked.complete(null);
      return release.thenApply(go -> answer(request));
    });
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    forwarding = new ForwardingHandler(
        new RecordCache(1_000, TtlLimits.DEFAULT, CacheClock.MONOTONIC, new CacheMetrics(registry, RouterServer.ROLE)),
        new CacheMetrics(registry, RouterServer.ROLE), recursor.address(), Duration.ofSeconds(5), loops);
  }

  @AfterEach
  void stop() throws Exception {
    release.complete(null);
    recursor.close();
    loops.close();
  }

  @Test
  void handlesTheRecursorsReplyOnTheEventLoopThatTookTheQuestion() throws Exception {
    CompletableFuture<Thread> handledOn = loop.submit(() -> forwarding.handle(query(), NO_NEXT)
        .thenApply(answer -> Thread.currentThread()).toCompletableFuture()).get(5, TimeUnit.SECONDS);
    // Answered only once the continuation above waits for it, so it runs where the reply is handled.
    asked.get(5, TimeUnit.SECONDS);
    release.complete(null);

    assertThat(handledOn.get(5, TimeUnit.SECONDS)).isSameAs(loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS));
  }

  @Test
  void relaysTheSameAnswerFromAnEventLoopAsFromAnyOtherThread() throws Exception {
    release.complete(null);

    Message fromLoop = loop.submit(() -> forwarding.handle(query(), NO_NEXT).toCompletableFuture())
        .get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    forwarding = new ForwardingHandler(new RecordCache(1_000, TtlLimits.DEFAULT, CacheClock.MONOTONIC,
        new CacheMetrics(new SimpleMeterRegistry(), RouterServer.ROLE)),
        new CacheMetrics(new SimpleMeterRegistry(), RouterServer.ROLE), recursor.address(), Duration.ofSeconds(5), loops);
    Message fromTestThread = forwarding.handle(query(), NO_NEXT).toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(fromLoop.toString()).isEqualTo(fromTestThread.toString());
    assertThat(fromLoop.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("127.53.0.80");
  }

  private static DnsRequest query() {
    Message query = Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN));
    query.getHeader().setID(4242);
    query.getHeader().setFlag(Flags.RD);
    return new DnsRequest(query, Transport.UDP, CLIENT, SERVER, 1232, System.nanoTime());
  }

  private static Message answer(DnsRequest request) {
    Message response = request.newResponse(Rcode.NOERROR);
    try {
      response.addRecord(new ARecord(WWW, DClass.IN, 300, InetAddress.getByName("127.53.0.80")), Section.ANSWER);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return response;
  }
}
