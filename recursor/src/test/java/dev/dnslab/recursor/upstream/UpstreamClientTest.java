package dev.dnslab.recursor.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.recursor.RecursorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The upstream client against a plain socket that records what arrives; the UDP tests run on each
 * transport's socket code: epoll's bare sockets (EpollUdpQuery) and NIO's DatagramChannel.
 */
class UpstreamClientTest {
  private final RecursorMetrics metrics = new RecursorMetrics(new SimpleMeterRegistry());

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void sendsEachQueryFromItsOwnPortWithItsOwnId(NettyTransport transport) throws Exception {
    QueryRandomiser random = new QueryRandomiser();
    Set<Integer> ports = new HashSet<>();
    Set<Integer> ids = new HashSet<>();
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        UpstreamClient client = client(Cidr.LOOPBACK, transport)) {
      server.setSoTimeout(2000);
      for (int i = 0; i < 5; i++) {
        Message query = query(random.nextId(), random.randomiseCase(Name.fromConstantString("www.google.com.")));
        var reply = client.send(query, (InetSocketAddress) server.getLocalSocketAddress(), Transport.UDP,
            Duration.ofMillis(100));
        DatagramPacket packet = new DatagramPacket(new byte[512], 512);
        server.receive(packet);
        ports.add(packet.getPort());
        ids.add(new Message(packet.getData()).getHeader().getID());
        assertThat(reply).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(UpstreamTimeoutException.class);
      }
    }
    assertThat(ports).as("a fresh socket, so a fresh random port, per query (RFC 5452 9.2)").hasSize(5);
    assertThat(ids).hasSizeGreaterThan(1);
  }

  @Test
  void refusesToSendOutsideTheAllowList() throws Exception {
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        UpstreamClient client = new UpstreamClient(new UpstreamPolicy(List.of(Cidr.parse("127.53.0.0/24")), metrics), 1)) {
      server.setSoTimeout(200);
      var reply = client.send(query(1, Name.fromConstantString("www.google.com.")),
          (InetSocketAddress) server.getLocalSocketAddress(), Transport.UDP, Duration.ofMillis(100));

      assertThat(reply).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(UpstreamBlockedException.class);
      assertThat(metrics.registry().counter(RecursorMetrics.UPSTREAM_BLOCKED).count()).isEqualTo(1);
      DatagramPacket packet = new DatagramPacket(new byte[512], 512);
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> server.receive(packet)))
          .isInstanceOf(java.net.SocketTimeoutException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void ignoresADatagramDnsjavaCannotReadAndTakesTheRealReply(NettyTransport transport) throws Exception {
    // A record whose TTL is above 2^31-1: dnsjava throws an unchecked exception reading it
    // (UpstreamReplyFuzzTest's input unparseable-ttl-throws-unchecked).
    byte[] unreadable = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/test/resources/dev/dnslab/"
        + "recursor/iterator/UpstreamReplyFuzzTestInputs/cachesOnlyInBailiwickDataThatReencodes/"
        + "unparseable-ttl-throws-unchecked"));
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        UpstreamClient client = client(Cidr.LOOPBACK, transport)) {
      server.setSoTimeout(2000);
      Message query = query(7, Name.fromConstantString("www.google.com."));
      var reply = client.send(query, (InetSocketAddress) server.getLocalSocketAddress(), Transport.UDP,
          Duration.ofSeconds(2));
      DatagramPacket received = new DatagramPacket(new byte[512], 512);
      server.receive(received);

      // when the server's address first sends bytes dnsjava cannot read, then the real reply
      server.send(new DatagramPacket(unreadable, unreadable.length, received.getSocketAddress()));
      reply(server, received, 7, query.getQuestion());

      // then the first is ignored (RFC 5452 9.1), not taken as the end of the exchange
      assertThat(reply).succeedsWithin(Duration.ofSeconds(2))
          .satisfies(r -> assertThat(r.message().getHeader().getID()).isEqualTo(7));
    }
  }

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void ignoresAReplyFromAnotherPortAndTakesTheOneFromTheServerAsked(NettyTransport transport) throws Exception {
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DatagramSocket spoofer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        UpstreamClient client = client(Cidr.LOOPBACK, transport)) {
      server.setSoTimeout(2000);
      Message query = query(8, Name.fromConstantString("www.google.com."));
      var reply = client.send(query, (InetSocketAddress) server.getLocalSocketAddress(), Transport.UDP,
          Duration.ofSeconds(2));
      DatagramPacket received = new DatagramPacket(new byte[512], 512);
      server.receive(received);

      // when a reply with the right ID and question comes first from a port that was not asked
      Message forged = new Message(8);
      forged.getHeader().setFlag(org.xbill.DNS.Flags.QR);
      forged.addRecord(query.getQuestion(), Section.QUESTION);
      forged.addRecord(Record.fromString(query.getQuestion().getName(), Type.A, DClass.IN, 300, "192.0.2.66",
          Name.root), Section.ANSWER);
      byte[] forgedWire = forged.toWire();
      spoofer.send(new DatagramPacket(forgedWire, forgedWire.length, received.getSocketAddress()));
      reply(server, received, 8, query.getQuestion());

      // then only the server's own reply is taken (RFC 5452 9.1)
      assertThat(reply).succeedsWithin(Duration.ofSeconds(2))
          .satisfies(r -> assertThat(r.message().getSection(Section.ANSWER)).isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void saysWhetherTheReplyEchoedTheQuestionInTheLetterCaseSent(NettyTransport transport) throws Exception {
    Name scrambled = Name.fromConstantString("wWw.GoOgle.com.");
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        UpstreamClient client = client(Cidr.LOOPBACK, transport)) {
      server.setSoTimeout(2000);
      // the same name echoed as sent, then lower-cased: both match the question (RFC 4343), only
      // the first keeps its letter case (0x20)
      for (Name echoed : List.of(scrambled, Name.fromConstantString("www.google.com."))) {
        Message query = query(12, scrambled);
        var reply = client.send(query, (InetSocketAddress) server.getLocalSocketAddress(), Transport.UDP,
            Duration.ofSeconds(2));
        DatagramPacket received = new DatagramPacket(new byte[512], 512);
        server.receive(received);
        reply(server, received, 12, Record.newRecord(echoed, Type.A, DClass.IN));

        assertThat(reply).succeedsWithin(Duration.ofSeconds(2))
            .satisfies(r -> assertThat(r.questionAsSent()).as("echoed %s", echoed).isEqualTo(echoed == scrambled));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void sendsFromTheCallersEventLoopAndHandsTheReplyBackOnIt(NettyTransport transport) throws Exception {
    // A server's event loop of the same transport (the recursor's, that received a client's query):
    // the upstream query is sent from it and the reply handled on it, not on the client's own loops.
    EventLoopGroup serverLoop = transport.newGroup(1);
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        UpstreamClient client = client(Cidr.LOOPBACK, transport)) {
      server.setSoTimeout(2000);
      Message query = query(9, Name.fromConstantString("www.google.com."));
      CompletableFuture<Thread> completedOn = new CompletableFuture<>();
      Thread loopThread = serverLoop.submit(() -> {
        // Attached on the loop before it can read the reply, so it runs on whichever thread completes it.
        client.send(query, (InetSocketAddress) server.getLocalSocketAddress(), Transport.UDP, Duration.ofSeconds(2))
            .whenComplete((reply, error) -> completedOn.complete(Thread.currentThread()));
        return Thread.currentThread();
      }).get(2, TimeUnit.SECONDS);
      DatagramPacket received = new DatagramPacket(new byte[512], 512);
      server.receive(received);
      reply(server, received, 9, query.getQuestion());

      assertThat(completedOn).succeedsWithin(Duration.ofSeconds(2)).isSameAs(loopThread);
    } finally {
      serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void aSendTheKernelRefusesAtOnceFailsOnALaterTaskOfTheCallersLoop(NettyTransport transport) throws Exception {
    // 255.255.255.255 without SO_BROADCAST: sendto fails with EACCES at once and nothing leaves
    // the machine, as ENETUNREACH does for an IPv6 server where no IPv6 route leads.
    InetSocketAddress refused = new InetSocketAddress("255.255.255.255", 53);
    EventLoopGroup serverLoop = transport.newGroup(1);
    try (UpstreamClient client = client(List.of(Cidr.parse("255.255.255.255/32")), transport)) {
      CompletableFuture<CompletableFuture<UpstreamReply>> sent = new CompletableFuture<>();
      boolean doneInTheSendersTask = serverLoop.submit(() -> {
        CompletableFuture<UpstreamReply> reply =
            client.send(query(11, Name.fromConstantString("www.google.com.")), refused, Transport.UDP, Duration.ofSeconds(5));
        sent.complete(reply);
        return reply.isDone();
      }).get(2, TimeUnit.SECONDS);

      assertThat(doneInTheSendersTask)
          .as("the caller's continuation, attached after send returns, runs after its task, as for a reply")
          .isFalse();
      assertThat(sent.get()).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
          .satisfies(e -> assertThat(e.getCause()).isNotInstanceOf(UpstreamTimeoutException.class)
              .hasMessageContaining("ermission denied"));
    } finally {
      serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @ParameterizedTest
  @EnumSource(NettyTransport.class)
  void runsATimerOnTheCallersEventLoop(NettyTransport transport) throws Exception {
    // RFC 8767's client response timer fires on the thread that runs the resolution and answers
    // the client, like the replies of sendsFromTheCallersEventLoopAndHandsTheReplyBackOnIt.
    EventLoopGroup serverLoop = transport.newGroup(1);
    try (UpstreamClient client = client(Cidr.LOOPBACK, transport)) {
      CompletableFuture<Thread> ranOn = new CompletableFuture<>();
      Thread loopThread = serverLoop.submit(() -> {
        client.schedule(() -> ranOn.complete(Thread.currentThread()), Duration.ofMillis(1));
        return Thread.currentThread();
      }).get(2, TimeUnit.SECONDS);

      assertThat(ranOn).succeedsWithin(Duration.ofSeconds(2)).isSameAs(loopThread);
    } finally {
      serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void runsATimerOfAnotherThreadOnItsOwnLoopUntilClosed() throws Exception {
    UpstreamClient client = client(Cidr.LOOPBACK, NettyTransport.best());
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    try (client) {
      client.schedule(() -> ranOn.complete(Thread.currentThread()), Duration.ofMillis(1));

      assertThat(ranOn).succeedsWithin(Duration.ofSeconds(2)).isNotSameAs(Thread.currentThread());
    }
    assertThatThrownBy(() -> client.schedule(() -> {}, Duration.ofMillis(1)))
        .as("a timer after close: refused, no thread started for it")
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void aCancelledTimerNeverRuns() throws Exception {
    try (UpstreamClient client = client(Cidr.LOOPBACK, NettyTransport.best())) {
      CompletableFuture<Void> ran = new CompletableFuture<>();
      ScheduledFuture<?> timer = client.schedule(() -> ran.complete(null), Duration.ofMillis(100));
      timer.cancel(false);
      // A later timer on the same loop has run: the cancelled one, due before it, would have too.
      CompletableFuture<Void> later = new CompletableFuture<>();
      client.schedule(() -> later.complete(null), Duration.ofMillis(200));

      assertThat(later).succeedsWithin(Duration.ofSeconds(2));
      assertThat(ran).isNotDone();
    }
  }

  @Test
  void drawsEveryIdAfreshOverAllSixteenBits() {
    // The randomiser hands out bytes drawn ahead in bulk: each must be used once only.
    QueryRandomiser randomiser = new QueryRandomiser();
    Set<Integer> ids = new HashSet<>();
    int bitsSeenSet = 0;
    int bitsSeenClear = 0;
    for (int draw = 0; draw < 1000; draw++) {
      int id = randomiser.nextId();
      assertThat(id).isBetween(0, 0xFFFF);
      ids.add(id);
      bitsSeenSet |= id;
      bitsSeenClear |= ~id & 0xFFFF;
    }
    assertThat(bitsSeenSet).isEqualTo(0xFFFF);
    assertThat(bitsSeenClear).isEqualTo(0xFFFF);
    // 1000 fair draws of 16 bits repeat an ID about 7.6 times (birthday bound); 25 would be a
    // one-in-a-million event, and bytes handed out twice would repeat far more.
    assertThat(ids).hasSizeGreaterThan(975);
  }

  @Test
  void scramblesLetterCaseButNothingElse() {
    Name mixed = new QueryRandomiser().randomiseCase(Name.fromConstantString("www.example.co.kr."));

    assertThat(mixed).isEqualTo(Name.fromConstantString("www.example.co.kr."));
  }

  @Test
  void scramblesEveryLetterAndNoOtherByte() throws Exception {
    // '@' and '[' are one case bit away from '`' and '{', which are not letters; \000 and \200 neither.
    Name name = Name.fromString("a-1.@[\\000\\200z.Example.");
    byte[] plain = name.toWire();
    boolean[] sawUpper = new boolean[plain.length];
    boolean[] sawLower = new boolean[plain.length];
    QueryRandomiser randomiser = new QueryRandomiser();
    for (int draw = 0; draw < 200; draw++) {
      Name mixed = randomiser.randomiseCase(name);
      byte[] wire = mixed.toWire();
      assertThat(mixed).isEqualTo(name);
      assertThat(wire).hasSameSizeAs(plain);
      for (int i = 0; i < plain.length; i++) {
        if (Character.isLetter(plain[i])) {
          assertThat(Character.toLowerCase((char) wire[i])).isEqualTo(Character.toLowerCase((char) plain[i]));
          sawUpper[i] |= Character.isUpperCase(wire[i]);
          sawLower[i] |= Character.isLowerCase(wire[i]);
        } else {
          assertThat(wire[i]).as("byte %d", i).isEqualTo(plain[i]);
        }
      }
    }
    for (int i = 0; i < plain.length; i++) {
      // 200 fair draws: a letter that never showed one case would be a 2^-200 event.
      assertThat(sawUpper[i] && sawLower[i]).as("both cases at byte %d", i).isEqualTo(Character.isLetter(plain[i]));
    }
  }

  /** Sends {@code to}'s sender a reply with {@code id} and {@code question} and nothing else, from {@code server}. */
  private static void reply(DatagramSocket server, DatagramPacket to, int id, Record question) throws Exception {
    Message answer = new Message(id);
    answer.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    answer.addRecord(question, Section.QUESTION);
    byte[] wire = answer.toWire();
    server.send(new DatagramPacket(wire, wire.length, to.getSocketAddress()));
  }

  private UpstreamClient client(List<Cidr> allowed, NettyTransport transport) {
    return new UpstreamClient(new UpstreamPolicy(allowed, metrics), 1, new UpstreamCookies(new SimpleMeterRegistry()),
        transport);
  }

  private static Message query(int id, Name name) {
    Message query = new Message(id);
    query.addRecord(Record.newRecord(name, Type.A, DClass.IN), Section.QUESTION);
    return query;
  }
}
