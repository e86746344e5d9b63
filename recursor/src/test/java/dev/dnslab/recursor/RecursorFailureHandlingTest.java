package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.trace.TraceStep;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The test-only hierarchy (scenario-zones): truncation, dead, lame and forbidden servers. */
class RecursorFailureHandlingTest {
  /**
   * Short, so a dead server costs little. What bounds a failure's time is asserted from the trace
   * (how many waits, each armed for how long), never against the wall clock of a loaded machine.
   */
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(300);
  /** The wait an upstream query was armed with, as its trace step's note says it. */
  private static final Pattern ARMED_WAIT = Pattern.compile("no reply from \\S+ within (\\d+)ms");

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.SCENARIO_ZONES)
      .configure(config -> config.limits(ResolutionLimits.DEFAULT.withUpstreamTimeout(UPSTREAM_TIMEOUT)))
      .emptyCacheBeforeEach();

  @Test
  void retriesOverTcpWhenTheUdpReplyIsTruncated() throws Exception {
    var trace = recursor.server().resolver().trace(Name.fromString("many.big.test."), Type.A).get();

    assertThat(trace.rcode()).isEqualTo("NOERROR");
    assertThat(trace.answer()).hasSize(100);
    var last = trace.steps().subList(trace.steps().size() - 2, trace.steps().size());
    assertThat(last).extracting(s -> s.transport() + " " + s.reply()).containsExactly("udp TRUNCATED", "tcp ANSWER");
  }

  @Test
  void givesTheClientTheWholeBigAnswerOverTcp() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "many.big.test.", Type.A, true, null);

    assertThat(response.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void retriesAnotherServerWhenOneIsDead() throws Exception {
    var trace = recursor.server().resolver().trace(Name.fromString("www.dead.test."), Type.A).get();

    assertThat(trace.rcode()).isEqualTo("NOERROR");
    assertThat(trace.answer()).hasSize(1);
    assertThat(trace.steps()).extracting(s -> s.reply()).as("the dead server costs one timeout, not a retransmission")
        .containsOnlyOnce("TIMEOUT");
    assertThat(trace.steps()).anySatisfy(s -> assertThat(s.depth()).isEqualTo(1))
        .as("ns.alive.other has no glue: its address was looked up on the way");
  }

  @Test
  void recordsASendTheKernelRefusesAtOnceAsAnErrorAndAsksTheNextServer() throws Exception {
    // The send to ns1.refused.test fails inside the upstream client's send (EACCES); the step
    // must still be traced once and the walk go on to the other server, exactly once.
    try (RecursorServer permissive = new RecursorServer(recursor.lab().recursorConfig()
        .allowedUpstreams(List.of(recursor.lab().plan().network(), Cidr.parse("255.255.255.255/32")))
        .build()).start()) {
      var trace = permissive.resolver().trace(Name.fromString("www.refused.test."), Type.A).get(10, TimeUnit.SECONDS);

      assertThat(trace.rcode()).isEqualTo("NOERROR");
      assertThat(trace.answer()).hasSize(1);
      assertThat(trace.steps()).filteredOn(s -> s.zone().equals("refused.test."))
          .extracting(s -> s.server().address().equals("255.255.255.255") + " " + s.reply())
          .containsExactly("true ERROR", "false ANSWER");
    }
  }

  @Test
  void asksAgainWithoutRandomLetterCaseWhenTheServerDoesNotEchoIt() throws Exception {
    // 26 letters: a scrambled name that comes out all lower case (and so echoed as sent) is 2^-26 likely.
    Name name = Name.fromString("abcdefghijklmnopqrstuvwxyz.nocase.test.");
    InetAddress address = recursor.lab().plan().translate(InetAddress.getByName("127.53.0.97"));
    List<String> asked = new CopyOnWriteArrayList<>();
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(address, recursor.lab().port()))) {
      Thread authority = new Thread(() -> answerInLowerCase(server, asked), "lower-case authority");
      authority.start();

      var trace = recursor.server().resolver().trace(name, Type.A).get(10, TimeUnit.SECONDS);

      assertThat(trace.rcode()).isEqualTo("NOERROR");
      assertThat(trace.answer()).hasSize(1);
      assertThat(trace.steps()).filteredOn(s -> s.zone().equals("nocase.test."))
          .extracting(s -> s.transport() + " " + s.reply())
          .containsExactly("udp THROWAWAY", "udp ANSWER");
      assertThat(asked).hasSize(2);
      assertThat(asked.get(0)).as("first query: 0x20").isNotEqualTo(name.toString()).isEqualToIgnoringCase(name.toString());
      assertThat(asked.get(1)).as("asked again as it is").isEqualTo(name.toString());
    }
  }

  /**
   * A name server that answers every A question with one address, the question's name lowercased
   * in the reply: it does not echo 0x20's letter case. Records each question name as it came.
   */
  private static void answerInLowerCase(DatagramSocket socket, List<String> asked) {
    byte[] buffer = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        Record question = query.getQuestion();
        asked.add(question.getName().toString());
        Name lowered = Name.fromString(question.getName().toString().toLowerCase(Locale.ROOT));
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.AA);
        reply.addRecord(Record.newRecord(lowered, question.getType(), question.getDClass()), Section.QUESTION);
        if (question.getType() == Type.A) {
          reply.addRecord(new ARecord(lowered, DClass.IN, 60, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        }
        byte[] wire = reply.toWire();
        socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
      } catch (IOException closed) {
        return;
      }
    }
  }

  @Test
  void retransmitsToTheOnlyServerThenAnswersServfailInBoundedTime() throws Exception {
    var trace = recursor.server().resolver().trace(Name.fromString("www.silent.test."), Type.A).get();

    assertThat(trace.rcode()).isEqualTo("SERVFAIL");
    // RFC 1035 4.2.1: a lost datagram is retransmitted; the silent server is asked 1 + 3 times,
    // each wait the upstream timeout, and then the walk gives up on the server, not at the deadline.
    var timeouts = trace.steps().stream().filter(s -> "TIMEOUT".equals(s.reply())).toList();
    assertThat(timeouts).extracting(s -> s.server().address())
        .hasSize(4)
        .containsOnly(trace.steps().get(trace.steps().size() - 1).server().address());
    assertThat(timeouts).extracting(RecursorFailureHandlingTest::armedWait).containsOnly(UPSTREAM_TIMEOUT);
    assertThat(trace.failure()).startsWith("no name server of silent.test. gave a usable reply");
  }

  @Test
  void joinsClientsAskingTheSameQuestionToOneWalk() throws Exception {
    double before = upstreamQueries();
    // Three stubs (or one stub retrying) ask while the first walk is still waiting on a silent server.
    List<java.util.concurrent.CompletableFuture<Message>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return Dig.query(recursor.server().dnsAddress(), "www.silent.test.", Type.A);
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }));
    }
    for (var answer : answers) {
      assertThat(answer.get().getRcode()).isEqualTo(Rcode.SERVFAIL);
    }
    // One walk: root, test. and the silent server 1 + 3 times, not three times that.
    assertThat(upstreamQueries() - before).isLessThanOrEqualTo(6);
  }

  @Test
  void neverWaitsForAnUpstreamPastTheResolutionDeadline() throws Exception {
    Duration deadline = Duration.ofMillis(500);
    try (RecursorServer hurried = new RecursorServer(recursor.lab().recursorConfig()
        .limits(ResolutionLimits.DEFAULT.withUpstreamTimeout(UPSTREAM_TIMEOUT).withResolutionTimeout(deadline))
        .build()).start()) {
      var trace = hurried.resolver().trace(Name.fromString("www.silent.test."), Type.A).get();

      assertThat(trace.rcode()).isEqualTo("SERVFAIL");
      assertThat(trace.failure()).startsWith("resolution took longer than " + deadline.toMillis() + "ms");
      // 300 ms, then what is left of the deadline (about 200 ms), then SERVFAIL: each wait was armed
      // after the last ended, so waits within the deadline add up to at most the deadline, however
      // late a loaded machine ran them; a full second 300 ms wait would not.
      var waits = trace.steps().stream().filter(s -> "TIMEOUT".equals(s.reply()))
          .map(RecursorFailureHandlingTest::armedWait).toList();
      assertThat(waits).isNotEmpty().allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(UPSTREAM_TIMEOUT));
      assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(deadline);
    }
  }

  @Test
  void answersServfailForALameDelegationInBoundedTime() throws Exception {
    var trace = recursor.server().resolver().trace(Name.fromString("www.lame.test."), Type.A).get();

    assertThat(trace.rcode()).isEqualTo("SERVFAIL");
    // The lame server's REFUSED is final for it: no retransmission, no wait for a timeout.
    assertThat(trace.steps()).extracting(s -> s.reply()).containsOnlyOnce("LAME").doesNotContain("TIMEOUT");
  }

  @Test
  void remembersAFailureForAWhile() throws Exception {
    Dig.query(recursor.server().dnsAddress(), "www.lame.test.", Type.A);

    assertThat(recursor.server().cache().failure(Name.fromString("www.lame.test."), Type.A)).isNotNull();
    double sent = upstreamQueries();
    assertThat(Dig.query(recursor.server().dnsAddress(), "www.lame.test.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(upstreamQueries()).as("RFC 9520: no new upstream work").isEqualTo(sent);
  }

  @Test
  void neverContactsAnUpstreamOutsideTheAllowList() throws Exception {
    InetAddress forbidden = InetAddress.getByName("127.55.0.7");
    AtomicInteger packets = new AtomicInteger();
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(forbidden, recursor.lab().port()));
        ServerSocket tcp = new ServerSocket(recursor.lab().port(), 10, forbidden)) {
      udp.setSoTimeout(50);
      tcp.setSoTimeout(50);
      double blockedBefore = blocked();

      Message response = Dig.query(recursor.server().dnsAddress(), "www.forbidden.test.", Type.A);

      assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(blocked()).isGreaterThan(blockedBefore);
      try {
        udp.receive(new DatagramPacket(new byte[512], 512));
        packets.incrementAndGet();
      } catch (SocketTimeoutException expected) {
        // nothing arrived
      }
      try {
        tcp.accept().close();
        packets.incrementAndGet();
      } catch (SocketTimeoutException expected) {
        // nobody connected
      }
    }
    assertThat(packets).hasValue(0);
  }

  @Test
  void refusesClientsOutsideTheAcl() throws Exception {
    try (RecursorServer strict = new RecursorServer(recursor.lab().recursorConfig()
        .allowedClients(List.of(Cidr.parse("127.0.0.1/32")))
        .build()).start()) {
      Message outsider = Dig.query(strict.dnsAddress(), "www.dead.test.", Type.A, false,
          new InetSocketAddress("127.0.0.2", 0));
      Message insider = Dig.query(strict.dnsAddress(), "ns.alive.other.", Type.A, false,
          new InetSocketAddress("127.0.0.1", 0));

      assertThat(outsider.getRcode()).isEqualTo(Rcode.REFUSED);
      assertThat(outsider.getSection(Section.ANSWER)).isEmpty();
      assertThat(insider.getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void explainsServfailWithNoReachableAuthorityWhenEveryServerTimesOut() throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.silent.test.", Type.A, false, false, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    ExtendedErrorCodeOption ede = Dig.ede(response);
    assertThat(ede.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
    assertThat(ede.getText()).contains("silent.test.", recursor.lab().plan().network().toString().replace(".0/24", ".98"))
        .contains("timed out");
  }

  @Test
  void explainsServfailWithNotAuthoritativeForALameServerFromTheWireAndFromTheCache() throws Exception {
    for (String from : List.of("the wire", "the cache")) {
      Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.lame.test.", Type.A, false, false, false);

      assertThat(response.getRcode()).as(from).isEqualTo(Rcode.SERVFAIL);
      ExtendedErrorCodeOption ede = Dig.ede(response);
      assertThat(ede.getErrorCode()).as(from).isEqualTo(ExtendedErrorCodeOption.NOT_AUTHORITATIVE);
      assertThat(ede.getText()).as(from).contains("lame.test.", "REFUSED");
    }
  }

  @Test
  void explainsServfailForAnUpstreamOutsideTheAllowList() throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.forbidden.test.", Type.A, false, false, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    ExtendedErrorCodeOption ede = Dig.ede(response);
    assertThat(ede.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
    assertThat(ede.getText()).contains("forbidden.test.", "127.55.0.7", "allow-list");
  }

  @Test
  void explainsNothingToAClientWithoutEdns() throws Exception {
    Message response = Dig.queryWithoutEdns(recursor.server().dnsAddress(), "www.lame.test.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(response.getOPT()).as("RFC 6891 7: no OPT in reply to a query without one").isNull();
  }

  /** The wait the step's upstream query was armed with (its note: "no reply from ... within 300ms"). */
  private static Duration armedWait(TraceStep step) {
    Matcher wait = ARMED_WAIT.matcher(step.note());
    assertThat(wait.find()).as("an armed wait in the note: %s", step.note()).isTrue();
    return Duration.ofMillis(Long.parseLong(wait.group(1)));
  }

  private static double upstreamQueries() {
    return recursor.server().registry().find(RecursorMetrics.UPSTREAM_QUERIES).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  private static double blocked() {
    return recursor.server().registry().counter(RecursorMetrics.UPSTREAM_BLOCKED).count();
  }
}
