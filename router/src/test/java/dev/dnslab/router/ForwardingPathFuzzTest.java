package dev.dnslab.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.client.DnsQuestion;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.core.wire.DecodedPacket;
import dev.dnslab.core.wire.DnsQueryDecoder;
import dev.dnslab.core.wire.ResponseSizeLimit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * Bytes in, bytes out through the router's forwarding path ({@link RouterServer#chain}: decoder,
 * EDNS, {@link ForwardingHandler}, its cache, encoder) with both ends hostile: the fuzzer writes the
 * client's query and the upstream recursor's reply, which a real UDP socket on loopback sends back
 * under the forwarded query's ID, followed by a valid NXDOMAIN reply to that query. The invariant:
 * the router answers with wire format dnsjava parses, a response to the client's ID within the UDP
 * size limit, or with nothing; asked the same again, it answers from what it cached under the same
 * rule. A fuzzed reply that does not answer the forwarded query is ignored and the wait goes on
 * (RFC 5452 9.1): the valid reply behind it is then the one relayed, which also spares each such
 * input the upstream timeout.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/dnslab/router/ForwardingPathFuzzTestInputs}.
 * {@code JAZZER_FUZZ=1} (scripts/fuzz.sh) fuzzes.
 */
class ForwardingPathFuzzTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
  /**
   * Never waited out when the router works: every forwarded query gets the fuzzer's reply and a
   * valid one right behind it, and a truncated reply's TCP retry is refused at once (nothing listens
   * on TCP there). So it only bounds a broken run. At 200 ms a cold router on a loaded two-core
   * machine missed it: the valid reply after an ignored one came late, the router answered SERVFAIL
   * and the test read a router bug into it ("expected: 3 but was: 2"). On such a machine the first
   * forwarded input took 9 to 10 s whole (Jazzer instruments each class as it first loads).
   */
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(30);
  /** A round's wait for the router's answer: past its own upstream timeout, so that one shows first. */
  private static final Duration ROUND_DEADLINE = UPSTREAM_TIMEOUT.multipliedBy(2);

  private static final FuzzedRecursor UPSTREAM = FuzzedRecursor.start();

  /** The loops the router's forwarded questions leave from, as its DNS server's in RouterServer. */
  private static final EventLoops LOOPS = EventLoops.start(NettyTransport.best(), 1);

  @AfterAll
  static void stopLoops() {
    LOOPS.close();
  }


  @FuzzTest
  void answersWithValidWireFormatOrNothing(byte[] input) throws Exception {
    // The router asks the stand-in recursor again over TCP when a reply has TC set: the path under
    // test, not a request forgery. Set on every run: the fuzzer resets its detectors when it starts.
    BugDetectors.allowNetworkConnections(
        (host, port) -> port == UPSTREAM.address().getPort() && isLoopback(host));
    // The input is the client's query behind its 2-byte length (TCP framing, RFC 1035 4.2.2), then
    // the upstream's reply: a layout the committed inputs can be written in by hand.
    if (input.length < 2) {
      return;
    }
    int queryLength = Math.min(((input[0] & 0xFF) << 8) | (input[1] & 0xFF), input.length - 2);
    byte[] query = Arrays.copyOfRange(input, 2, 2 + queryLength);
    UPSTREAM.reply = Arrays.copyOfRange(input, 2 + queryLength, input.length);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RecordCache cache = new RecordCache(1_000, TtlLimits.DEFAULT, CacheClock.MONOTONIC,
        new CacheMetrics(registry, RouterServer.ROLE));
    ForwardingHandler forwarding = new ForwardingHandler(
        cache, new CacheMetrics(registry, RouterServer.ROLE), UPSTREAM.address(), UPSTREAM_TIMEOUT, LOOPS);
    DnsMetrics metrics = new DnsMetrics(registry, RouterServer.ROLE);
    QueryProcessor processor =
        new QueryProcessor(RouterServer.chain(metrics, forwarding), metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP);

    // Twice: the first goes upstream, the second may come from what the first cached.
    for (int round = 0; round < 2; round++) {
      UPSTREAM.fuzzedReplyIgnored = false;
      List<byte[]> answers =
          processor.process(query, Transport.UDP, CLIENT, SERVER).toCompletableFuture()
              .get(ROUND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      for (byte[] wire : answers) {
        checkAnswer(query, wire);
        if (UPSTREAM.fuzzedReplyIgnored) {
          assertThat(new Message(wire).getRcode()).as("the valid reply after the ignored one").isEqualTo(Rcode.NXDOMAIN);
        }
      }
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static void checkAnswer(byte[] query, byte[] wire) throws IOException {
    Message answer = new Message(wire); // throws if it is not wire format
    assertThat(answer.getHeader().getFlag(Flags.QR)).as("QR").isTrue();
    assertThat(answer.getHeader().getID()).isEqualTo(((query[0] & 0xFF) << 8) | (query[1] & 0xFF));
    if (DnsQueryDecoder.decode(query) instanceof DecodedPacket.Query decoded) {
      assertThat(wire.length)
          .isLessThanOrEqualTo(
              ResponseSizeLimit.of(decoded.message(), Transport.UDP, ResponseSizeLimit.DEFAULT_EDNS_UDP));
      if (answer.getQuestion() != null) {
        assertThat(answer.getQuestion()).isEqualTo(decoded.message().getQuestion());
      }
    } else {
      assertThat(wire.length).isLessThanOrEqualTo(ResponseSizeLimit.CLASSIC_UDP);
    }
  }

  /**
   * A stand-in recursor on loopback: answers every query with the fuzzer's bytes under its ID, then
   * with a valid NXDOMAIN reply to it, which the router must take when it ignored the first.
   */
  private static final class FuzzedRecursor implements Runnable {
    private final DatagramSocket socket;
    volatile byte[] reply = new byte[0];
    /** Set when the last query got a fuzzed reply that does not answer it (DnsQuestion's rule). */
    volatile boolean fuzzedReplyIgnored;

    private FuzzedRecursor(DatagramSocket socket) {
      this.socket = socket;
    }

    static FuzzedRecursor start() {
      try {
        FuzzedRecursor recursor =
            new FuzzedRecursor(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        Thread thread = new Thread(recursor, "fuzzed-recursor");
        thread.setDaemon(true);
        thread.start();
        return recursor;
      } catch (SocketException e) {
        throw new UncheckedIOException(e);
      }
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void run() {
      byte[] buffer = new byte[65535];
      while (!socket.isClosed()) {
        try {
          DatagramPacket received = new DatagramPacket(buffer, buffer.length);
          socket.receive(received);
          byte[] answer = Arrays.copyOf(reply, reply.length);
          if (answer.length >= 2 && received.getLength() >= 2) {
            // The forwarded query's ID, so the router's resolver does not just ignore the reply.
            answer[0] = buffer[0];
            answer[1] = buffer[1];
          }
          Message query = DnsQuestion.parse(Arrays.copyOf(buffer, received.getLength()));
          fuzzedReplyIgnored = query != null && !answers(query, answer);
          socket.send(new DatagramPacket(answer, answer.length, received.getSocketAddress()));
          if (query != null) {
            byte[] valid = nxdomain(query);
            socket.send(new DatagramPacket(valid, valid.length, received.getSocketAddress()));
          }
        } catch (IOException e) {
          return;
        }
      }
    }

    /** Whether {@code wire} is a response with {@code query}'s ID and question, as DnsQuestion takes. */
    private static boolean answers(Message query, byte[] wire) {
      Message reply = DnsQuestion.parse(wire);
      return reply != null && reply.getHeader().getFlag(Flags.QR) && DnsQuestion.sameIdAndQuestion(query, reply);
    }

    private static byte[] nxdomain(Message query) {
      Message response = new Message(query.getHeader().getID());
      response.getHeader().setFlag(Flags.QR);
      response.getHeader().setFlag(Flags.RA);
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      response.addRecord(query.getQuestion(), Section.QUESTION);
      return response.toWire();
    }
  }
}
