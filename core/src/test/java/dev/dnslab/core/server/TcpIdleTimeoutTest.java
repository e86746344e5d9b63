package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.testing.HeldAnswers;
import dev.dnslab.core.testing.Poll;
import dev.dnslab.core.testing.RawDns;
import dev.dnslab.core.tls.IssuedCertificate;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.testing.DnsStreamFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * The idle timeout of DNS over TCP and TLS counts only time with no query in flight: to a server a
 * connection is idle once it "has sent responses to all the queries it has received on that
 * connection" (RFC 7766 3), so a query answered after more than the idle timeout (a recursor's long
 * walk) is answered on its connection, and the timeout then starts again from the answer. The
 * server answers {@code held.example.} only when the test completes that query's future, from the
 * test's thread (as a recursor's answer comes from another thread than the connection's); one event
 * loop, so the idle checks of all connections run in the order of their deadlines.
 */
class TcpIdleTimeoutTest {
  private static final String HELD = "held.example.";
  /** Short, so the tests wait little for the closes they prove; nothing is asserted against it but a lower bound. */
  private static final Duration IDLE_TIMEOUT = Duration.ofMillis(500);
  /** Bounds each wait: a cold JVM on a loaded two-core machine is slow to its first answer. */
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir static Path stateDir;
  private static IssuedCertificate certificate;
  private static SSLContext trustLabCa;

  private final HeldAnswers held = new HeldAnswers(HELD);
  private final List<Socket> sockets = new ArrayList<>();
  private DnsServer server;

  @BeforeAll
  static void issueTheCertificate() throws Exception {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(stateDir);
    certificate = ca.issue(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
    trustLabCa = ca.clientTlsContext();
  }

  @AfterEach
  void stop() throws IOException {
    held.releaseAll();
    for (Socket socket : sockets) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "TLS"})
  void answersAQueryHeldLongerThanTheIdleTimeoutOnItsConnection(Transport transport) throws Exception {
    // given a connection whose query is held, and one opened after it that stays silent
    Socket asking = askHeld(transport, 1);
    Socket silent = connect(transport);

    // when the silent one has been closed as idle (the asking one's idle check came first)
    assertClosed(silent);
    release();

    // then the held answer still came, on the asking connection
    assertThat(read(asking).getHeader().getID()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "TLS"})
  void closesAnIdleConnectionWhileAnotherWaitsForItsAnswer(Transport transport) throws Exception {
    // given a connection whose query is held
    askHeld(transport, 2);

    // when another connection, with nothing in flight, stays silent
    long opened = System.nanoTime();
    Socket silent = connect(transport);

    // then that one is closed at its idle timeout, not kept by its neighbour's query
    assertClosed(silent);
    assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(IDLE_TIMEOUT);
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "TLS"})
  void restartsTheIdleClockWhenTheHeldAnswerGoesOut(Transport transport) throws Exception {
    // given a query held past the idle timeout (a silent connection opened later was closed first)
    Socket asking = askHeld(transport, 3);
    assertClosed(connect(transport));

    // when its answer goes out
    long released = System.nanoTime();
    release();
    assertThat(read(asking).getHeader().getID()).isEqualTo(3);

    // then the connection gets a whole idle timeout from the answer before it is closed
    assertClosed(asking);
    assertThat(Duration.ofNanos(System.nanoTime() - released)).isGreaterThanOrEqualTo(IDLE_TIMEOUT);
  }

  private void start() throws Exception {
    server = DnsServer.builder("test")
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .tls(new InetSocketAddress("127.0.0.1", 0), certificate.serverContext(List.of()))
        .metrics(new DnsMetrics(new SimpleMeterRegistry(), "test"))
        .threads(1)
        .tcpIdleTimeout(IDLE_TIMEOUT)
        .chain(HandlerChain.of(held))
        .build()
        .start();
  }

  /** Starts the server and asks it, on a new connection, the question it holds; returns once it is held. */
  private Socket askHeld(Transport transport, int id) throws Exception {
    start();
    Socket asking = connect(transport);
    DataOutputStream out = new DataOutputStream(asking.getOutputStream());
    DnsStreamFrame.write(out, RawDns.query(HELD, Type.A, id));
    out.flush();
    Poll.until(DEADLINE, () -> held.count() == 1, "the held query in flight");
    return asking;
  }

  /** Answers the held query, on this (the test's) thread. */
  private void release() {
    assertThat(held.count()).isEqualTo(1);
    held.release(0);
  }

  private Socket connect(Transport transport) throws IOException {
    Socket socket;
    if (transport == Transport.TLS) {
      InetSocketAddress dot = server.tlsAddress();
      SSLSocket tls = (SSLSocket) trustLabCa.getSocketFactory().createSocket(dot.getAddress(), dot.getPort());
      tls.setSoTimeout((int) DEADLINE.toMillis());
      tls.startHandshake();
      socket = tls;
    } else {
      socket = RawDns.tcp(server.address(), (int) DEADLINE.toMillis());
    }
    sockets.add(socket);
    return socket;
  }

  private static Message read(Socket socket) throws IOException {
    return new Message(DnsStreamFrame.read(new DataInputStream(socket.getInputStream())));
  }

  /** Waits (up to the socket's read timeout, the deadline) for the server to close the connection. */
  private static void assertClosed(Socket socket) throws IOException {
    try {
      assertThat(socket.getInputStream().read()).as("bytes after the last answer").isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("connection still open after " + DEADLINE, e);
    } catch (IOException e) {
      // a reset: closed as well
    }
  }
}
