package dev.dnslab.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.testing.Poll;
import io.netty.channel.DefaultEventLoop;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Every fault handler installed in a real authority server for google.com and naver.com, queried
 * over real UDP and TCP sockets with dnsjava.
 */
class FaultHandlersTest {
  static final Name WWW_GOOGLE = name("www.google.com.");
  static final QueryMatch GOOGLE = QueryMatch.names(name("google.com."));

  final QueryJournal journal = new QueryJournal();
  final QueryRecorder recorder = journal.recorder("authoritative-ns");
  FaultTestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start(DnsHandler fault) throws Exception {
    server = FaultTestServer.start(List.of(recorder, fault));
  }

  SimpleResolver udp(Duration timeout) {
    return server.udp(timeout);
  }

  static Message query(String name, int type) throws IOException {
    return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
  }

  static byte[] rawQuery(String name, int id) throws IOException {
    Message query = query(name, Type.A);
    query.getHeader().setID(id);
    return query.toWire();
  }

  static Name name(String name) {
    try {
      return Name.fromString(name);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static List<String> answers(Message response) {
    List<String> rdata = new ArrayList<>();
    for (Record record : response.getSection(Section.ANSWER)) {
      rdata.add(record.getName() + " " + record.rdataToString());
    }
    return rdata;
  }

  @Nested
  class Delay {
    @Test
    void answersLateWithoutHoldingBackOtherQueries() throws Exception {
      // The delay is long beside a query's time, and the test asks for order, not a wall-clock
      // bound on the fast query: a first query through a cold JVM on a loaded machine once took
      // 747 ms, which says nothing about whether the fault held it back.
      Duration delay = Duration.ofSeconds(2);
      start(new DelayFault(GOOGLE, delay, recorder));
      SimpleResolver resolver = udp(Duration.ofSeconds(5));

      long started = System.nanoTime();
      CompletableFuture<Message> slow = resolver.sendAsync(query("www.google.com.", Type.A)).toCompletableFuture();
      Message fast = resolver.send(query("www.naver.com.", Type.A));
      boolean slowHeldBackWhenFastCame = !slow.isDone();
      Message late = slow.get(5, TimeUnit.SECONDS);
      long slowMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(fast.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(slowHeldBackWhenFastCame).as("the delayed answer still held back when the other query was answered")
          .isTrue();
      assertThat(answers(late)).contains("www.google.com. 127.53.0.80");
      assertThat(slowMillis).isGreaterThanOrEqualTo(delay.toMillis());
    }

    @Test
    void holdsManyAnswersBackOnTheEventLoopThatReceivedThemWithoutAThreadEach() throws Exception {
      int answers = 200;
      Duration delay = Duration.ofMillis(300);
      // Sees each query enter the fault and its held-back answer leave it: on which threads.
      List<String> handledOnCompletedOn = new CopyOnWriteArrayList<>();
      DnsHandler threadWatch = (request, next) -> {
        Thread handling = Thread.currentThread();
        return next.proceed(request).whenComplete((answer, failure) ->
            handledOnCompletedOn.add(handling.getName() + " -> " + Thread.currentThread().getName()));
      };
      server = FaultTestServer.start(List.of(threadWatch, new DelayFault(GOOGLE, delay, recorder)));
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();

      long threadsBefore = threads.getTotalStartedThreadCount();
      List<byte[]> queries = new ArrayList<>();
      for (int id = 0; id < answers; id++) {
        queries.add(rawQuery("www.google.com.", id));
      }
      Map<Integer, Long> lateness = server.rawUdpBurst(queries);
      long threadsStarted = threads.getTotalStartedThreadCount() - threadsBefore;

      assertThat(lateness).as("answers received").hasSize(answers);
      assertThat(lateness.values()).as("each answer's nanoseconds after its query")
          .allSatisfy(nanos -> assertThat(nanos).isGreaterThanOrEqualTo(delay.toNanos()));
      assertThat(threadsStarted).as("threads started for %d delayed answers", answers).isLessThan(answers / 4);
      assertThat(handledOnCompletedOn).hasSize(answers)
          .allSatisfy(threadsOfOne -> assertThat(threadsOfOne)
              .as("the answer leaves the fault on the event loop that handed it the query")
              .matches("(.+) -> \\1"));
    }

    @Test
    void sendsAnAnswerTheChainGaveLaterFromTheLoopThatHandedItTheQuery() throws Exception {
      DelayFault fault = new DelayFault(QueryMatch.ALL, Duration.ofMillis(50), FaultListener.NONE);
      DnsRequest request = localRequest();
      CompletableFuture<Message> answer = new CompletableFuture<>();
      DefaultEventLoop loop = new DefaultEventLoop();
      try {
        CompletableFuture<Message> late = loop.submit(() -> fault.handle(request, next -> answer))
            .get(5, TimeUnit.SECONDS).toCompletableFuture();
        CompletableFuture<Boolean> onTheLoop = late.thenApply(sent -> loop.inEventLoop());

        answer.complete(request.newResponse(Rcode.NOERROR)); // from this thread, not the loop's

        assertThat(onTheLoop.get(5, TimeUnit.SECONDS)).isTrue();
      } finally {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }

    @Test
    void holdsNoAnswerBackOnALoopThatHasStopped() throws Exception {
      DelayFault fault = new DelayFault(QueryMatch.ALL, Duration.ZERO, FaultListener.NONE);
      DnsRequest request = localRequest();
      CompletableFuture<Message> answer = new CompletableFuture<>();
      DefaultEventLoop loop = new DefaultEventLoop();
      CompletableFuture<Message> late = loop.submit(() -> fault.handle(request, next -> answer))
          .get(5, TimeUnit.SECONDS).toCompletableFuture();
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();

      answer.complete(request.newResponse(Rcode.NOERROR));

      // Silence, as when the server closes before the delay is over: no SERVFAIL for a failed timer.
      assertThat(late).isNotDone();
    }

    @Test
    void holdsAnAnswerBackWhenTheChainRunsOutsideAServer() throws Exception {
      Duration delay = Duration.ofMillis(200);
      DelayFault fault = new DelayFault(QueryMatch.ALL, delay, FaultListener.NONE);
      DnsRequest request = localRequest();
      Message answer = request.newResponse(Rcode.NOERROR);

      long started = System.nanoTime();
      CompletableFuture<Message> late = fault.handle(request, next -> CompletableFuture.completedFuture(answer))
          .toCompletableFuture();

      assertThat(late.get(5, TimeUnit.SECONDS)).isSameAs(answer);
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(delay.toNanos());
    }
  }

  static DnsRequest localRequest() throws IOException {
    InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);
    return new DnsRequest(query("www.google.com.", Type.A), Transport.UDP, local, local, 512, System.nanoTime());
  }

  @Nested
  class Drop {
    @Test
    void dropsEveryQueryAtShareOne() throws Exception {
      start(new DropFault(GOOGLE, 1.0, 1, recorder));

      assertThatThrownBy(() -> udp(Duration.ofMillis(300)).send(query("www.google.com.", Type.A)))
          .isInstanceOf(IOException.class);
      assertThat(udp(Duration.ofSeconds(2)).send(query("www.naver.com.", Type.A)).getRcode())
          .isEqualTo(Rcode.NOERROR);
      assertThat(journal.faults()).extracting(InjectedFault::fault).containsExactly("drop");
    }

    @Test
    void dropsTheSameQueriesForTheSameSeed() {
      DropFault first = new DropFault(QueryMatch.ALL, 0.5, 42, FaultListener.NONE);
      DropFault second = new DropFault(QueryMatch.ALL, 0.5, 42, FaultListener.NONE);
      List<Boolean> a = new ArrayList<>();
      List<Boolean> b = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        a.add(first.appliesTo(null));
        b.add(second.appliesTo(null));
      }
      assertThat(a).isEqualTo(b).contains(true, false);
    }

    @Test
    void answersTheQueriesItDoesNotDrop() throws Exception {
      start(new DropFault(GOOGLE, 0.5, 7, recorder));
      // The same seed picks the same queries (see above): which ones are dropped is known, so an
      // answer is waited for as long as a loaded machine needs, and a drop until the server took it.
      DropFault sameSeed = new DropFault(GOOGLE, 0.5, 7, FaultListener.NONE);
      int dropped = 0;
      for (int i = 0; i < 10; i++) {
        if (sameSeed.appliesTo(null)) {
          dropped++;
          assertThatThrownBy(() -> udp(Duration.ofMillis(250)).send(query("www.google.com.", Type.A)))
              .isInstanceOf(IOException.class);
          // Taken by the server before the next query is sent, so the two cannot swap draws.
          int droppedSoFar = dropped;
          Poll.until(Duration.ofSeconds(5), () -> journal.faults().size() == droppedSoFar, "the drop recorded");
        } else {
          assertThat(udp(Duration.ofSeconds(5)).send(query("www.google.com.", Type.A)).getRcode())
              .isEqualTo(Rcode.NOERROR);
        }
      }
      assertThat(dropped).isBetween(1, 9);
      assertThat(journal.faults()).hasSize(dropped);
    }
  }

  @Nested
  class Deferred {
    @Test
    void answersTheFirstMatchingQueriesThenFallsSilent() throws Exception {
      start(new DeferredFault(new DropFault(GOOGLE, 1.0, 1, recorder), 2, recorder));

      // The two answered queries let a resolver learn the data; the third finds the server gone.
      assertThat(udp(Duration.ofSeconds(2)).send(query("www.google.com.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(udp(Duration.ofSeconds(2)).send(query("www.naver.com.", Type.A)).getRcode())
          .as("not matched: not counted").isEqualTo(Rcode.NOERROR);
      assertThat(udp(Duration.ofSeconds(2)).send(query("mail.google.com.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
      assertThatThrownBy(() -> udp(Duration.ofMillis(300)).send(query("www.google.com.", Type.A)))
          .isInstanceOf(IOException.class);
      assertThat(journal.faults()).extracting(InjectedFault::fault).containsExactly("drop");
    }
  }

  @Nested
  class Truncate {
    @Test
    void setsTcWithAnEmptyAnswerOverUdpAndAnswersOverTcp() throws Exception {
      start(new TruncateFault(GOOGLE, recorder));

      Message overUdp = udp(Duration.ofSeconds(2)).send(query("www.google.com.", Type.A));
      Message overTcp = server.tcp().send(query("www.google.com.", Type.A));

      assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(overUdp.getSection(Section.ANSWER)).isEmpty();
      assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
      assertThat(answers(overTcp)).containsExactly("www.google.com. 127.53.0.80");
      assertThat(journal.queries()).extracting(RecordedQuery::transport).containsExactly(Transport.UDP, Transport.TCP);
    }
  }

  @Nested
  class ErrorCode {
    @Test
    void answersServfailForMatchingNamesOnly() throws Exception {
      start(new RcodeFault(GOOGLE, Rcode.SERVFAIL, recorder));
      SimpleResolver resolver = udp(Duration.ofSeconds(2));

      assertThat(resolver.send(query("www.google.com.", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(resolver.send(query("www.naver.com.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void answersRefused() throws Exception {
      start(new RcodeFault(QueryMatch.ALL, Rcode.REFUSED, recorder));

      Message response = udp(Duration.ofSeconds(2)).send(query("www.google.com.", Type.A));

      assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
      assertThat(response.getSection(Section.ANSWER)).isEmpty();
      assertThat(journal.faults()).extracting(InjectedFault::fault).containsExactly("rcode REFUSED");
    }
  }

  @Nested
  class TtlZero {
    @Test
    void rewritesEveryTtlToZero() throws Exception {
      start(new TtlZeroFault(GOOGLE, recorder));

      Message response = udp(Duration.ofSeconds(2)).send(query("google.com.", Type.MX));

      assertThat(response.getSection(Section.ANSWER)).isNotEmpty();
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
        for (Record record : response.getSection(section)) {
          if (record.getType() != Type.OPT) {
            assertThat(record.getTTL()).as(record.toString()).isZero();
          }
        }
      }
    }
  }

  @Nested
  class NoSoa {
    @Test
    void answersNodataWithoutTheSoa() throws Exception {
      start(new NoSoaFault(GOOGLE, recorder));

      // HTTPS (type 65, RFC 9460), which browsers ask for and www.google.com has none of: NODATA.
      Message response = udp(Duration.ofSeconds(2)).send(query("www.google.com.", Type.HTTPS));

      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(response.getSection(Section.ANSWER)).isEmpty();
      assertThat(response.getSection(Section.AUTHORITY)).noneMatch(record -> record.getType() == Type.SOA);
    }

    @Test
    void stripsTheSoaAndTheDenialProofOfASignedNodata() throws Exception {
      Name google = name("google.com.");
      Message signed = new Message();
      signed.addRecord(Record.fromString(google, Type.SOA, DClass.IN, 3600,
          "ns1.google.com. hostmaster.google.com. 1 3600 900 604800 300", google), Section.AUTHORITY);
      signed.addRecord(Record.fromString(google, Type.RRSIG, DClass.IN, 3600,
          "SOA 13 2 3600 20270101000000 20261201000000 12345 google.com. AAAA", google), Section.AUTHORITY);
      signed.addRecord(Record.fromString(name("www.google.com."), Type.NSEC, DClass.IN, 300,
          "xyz.google.com. A RRSIG NSEC", google), Section.AUTHORITY);
      signed.addRecord(Record.fromString(name("www.google.com."), Type.RRSIG, DClass.IN, 300,
          "NSEC 13 3 300 20270101000000 20261201000000 12345 google.com. AAAA", google), Section.AUTHORITY);

      Message stripped = NoSoaFault.withoutSoa(signed);

      assertThat(stripped.getSection(Section.AUTHORITY)).isEmpty();
    }
  }

  @Nested
  class ForgedCname {
    @Test
    void pointsTheCnameSynthesisedFromADnameElsewhere() throws Exception {
      start(new ForgedCnameFault(QueryMatch.names(name("nhn.com.")), name("forged.example."), recorder));

      Message response = udp(Duration.ofSeconds(2)).send(query("www.nhn.com.", Type.A));

      // The DNAME stays as it is; only the CNAME below it is forged (RFC 6672 3.2 catches that).
      assertThat(response.getSection(Section.ANSWER)).extracting(r -> r.getName() + " " + r.rdataToString())
          .startsWith("nhn.com. naver.com.", "www.nhn.com. forged.example.")
          .doesNotContain("www.nhn.com. www.naver.com.");
      assertThat(journal.faults()).extracting(InjectedFault::fault).containsExactly("forged-cname");
    }
  }

  @Nested
  class OutOfBailiwick {
    @Test
    void addsForeignRecordsToTheAnswer() throws Exception {
      Record poison = new ARecord(name("www.naver.com."), DClass.IN, 86400, InetAddress.getByName("192.0.2.66"));
      start(new OutOfBailiwickFault(GOOGLE, List.of(poison), recorder));

      Message response = udp(Duration.ofSeconds(2)).send(query("www.google.com.", Type.A));

      assertThat(answers(response)).containsExactly("www.google.com. 127.53.0.80", "www.naver.com. 192.0.2.66");
    }
  }

  @Nested
  class WrongId {
    @Test
    void answersUnderTheNextId() throws Exception {
      start(new WrongIdFault(GOOGLE, recorder));

      byte[] reply = server.rawUdp(rawQuery("www.google.com.", 4711));

      Message response = new Message(reply);
      assertThat(response.getHeader().getID()).isEqualTo(4712);
      assertThat(answers(response)).containsExactly("www.google.com. 127.53.0.80");
    }
  }

  @Nested
  class WrongQuestion {
    @Test
    void answersAnotherQuestionUnderTheRightId() throws Exception {
      start(new WrongQuestionFault(GOOGLE, name("evil.example."), InetAddress.getByName("192.0.2.66"), recorder));

      byte[] reply = server.rawUdp(rawQuery("www.google.com.", 4711));

      Message response = new Message(reply);
      assertThat(response.getHeader().getID()).isEqualTo(4711);
      assertThat(response.getQuestion().getName()).isEqualTo(name("evil.example."));
      assertThat(answers(response)).containsExactly("evil.example. 192.0.2.66");
    }
  }

  @Nested
  class Oversized {
    @Test
    void truncatesOverUdpAndDeliversTheWholeRrsetOverTcp() throws Exception {
      start(new OversizedFault(GOOGLE, 120, recorder));

      Message overUdp = udp(Duration.ofSeconds(2)).send(query("www.google.com.", Type.A));
      Message overTcp = server.tcp().send(query("www.google.com.", Type.A));

      assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(overTcp.getSection(Section.ANSWER)).hasSize(121);
      assertThat(answers(overTcp)).contains("www.google.com. 127.53.0.80");
    }
  }

  @Nested
  class TcpOnly {
    @Test
    void dropsUdpAndAnswersTcp() throws Exception {
      start(new TcpOnlyFault(QueryMatch.ALL, TcpOnlyFault.UdpAnswer.DROP, recorder));

      assertThatThrownBy(() -> udp(Duration.ofMillis(300)).send(query("www.google.com.", Type.A)))
          .isInstanceOf(IOException.class);
      assertThat(answers(server.tcp().send(query("www.google.com.", Type.A))))
          .containsExactly("www.google.com. 127.53.0.80");
    }

    @Test
    void truncatesUdp() throws Exception {
      start(new TcpOnlyFault(QueryMatch.ALL, TcpOnlyFault.UdpAnswer.TRUNCATE, recorder));

      Message overUdp = udp(Duration.ofSeconds(2)).send(query("www.naver.com.", Type.A));

      assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(journal.faults()).extracting(InjectedFault::fault).containsExactly("tcp-only truncate");
    }
  }

  @Nested
  class Recorder {
    @Test
    void recordsTheQnameAsSentWithTransportEdnsAndFlags() throws Exception {
      start(new RcodeFault(QueryMatch.names(name("nosuch.invalid.")), Rcode.SERVFAIL, recorder));
      Message query = query("wWw.GooGLe.CoM.", Type.A);
      query.getHeader().unsetFlag(Flags.RD);

      server.tcp().send(query);

      RecordedQuery recorded = journal.awaitQuery(q -> q.isFor("www.google.com"), Duration.ofSeconds(2));
      assertThat(recorded.qname()).isEqualTo("wWw.GooGLe.CoM.");
      assertThat(recorded.qtype()).isEqualTo(Type.A);
      assertThat(recorded.transport()).isEqualTo(Transport.TCP);
      assertThat(recorded.server()).isEqualTo("authoritative-ns");
      assertThat(recorded.recursionDesired()).isFalse();
      assertThat(recorded.edns()).isGreaterThanOrEqualTo(512);
      assertThat(journal.faults()).isEmpty();
    }

    @Test
    void recordsEachInjectedFaultWithItsQuery() throws Exception {
      start(new RcodeFault(GOOGLE, Rcode.SERVFAIL, recorder));

      udp(Duration.ofSeconds(2)).send(query("mail.google.com.", Type.A));

      assertThat(journal.faults())
          .singleElement()
          .satisfies(f -> {
            assertThat(f.fault()).isEqualTo("rcode SERVFAIL");
            assertThat(f.query().isFor("mail.google.com.")).isTrue();
          });
    }
  }

  @Nested
  class JournalRoute {
    @Test
    void listsQueriesAndFaultsAndClearsOnPost() throws Exception {
      start(new RcodeFault(GOOGLE, Rcode.REFUSED, recorder));
      udp(Duration.ofSeconds(2)).send(query("www.google.com.", Type.A));
      try (dev.dnslab.core.admin.AdminServer admin = dev.dnslab.core.admin.AdminServer.builder()
          .listen(new java.net.InetSocketAddress("127.0.0.1", 0))
          .route("/journal", new QueryJournalRoute(journal))
          .build()
          .start()) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + admin.address().getPort() + "/journal");

        String listing = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        http.send(java.net.http.HttpRequest.newBuilder(uri).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(listing).contains("query authoritative-ns udp").contains("fault rcode REFUSED <- ");
        assertThat(journal.queries()).isEmpty();
      }
    }
  }
}
