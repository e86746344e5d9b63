package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris: many clients each trickling a request a byte at a time hold connections open, but the
 * server reads every connection without blocking (Netty), has no connection cap for them to fill,
 * and gives each request a deadline ({@link SlowRequestGuard}); other clients keep being served
 * while the slow ones trickle.
 *
 * <p>{@code -Ddnslab.slowloris.connections=5000} runs a larger swarm.
 */
class SlowClientsTest {
  private static final int SLOW_CLIENTS = Integer.getInteger("dnslab.slowloris.connections", 1_000);
  private static final int ROUNDS = 10;

  @TempDir static Path stateDir;
  @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);

  private final List<Socket> slow = new ArrayList<>();

  @AfterEach
  void closeSlowClients() throws IOException {
    for (Socket socket : slow) {
      socket.close();
    }
  }

  @Test
  void servesOtherClientsWhileSlowClientsTrickleTheirRequests() throws IOException {
    // given many clients that started a request and send one more header byte per round
    for (int i = 0; i < SLOW_CLIENTS; i++) {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), web.httpPort());
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: www.google.com\r\n".getBytes(StandardCharsets.US_ASCII));
      slow.add(socket);
    }
    byte[] trickle = "X-Slow: aaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
    int served = 0;
    for (int round = 0; round < ROUNDS; round++) {
      for (Socket socket : slow) {
        OutputStream out = socket.getOutputStream();
        out.write(trickle[round % trickle.length]);
        out.flush();
      }
      // when another client asks meanwhile, then it is answered
      String response =
          web.raw("GET / HTTP/1.1\r\nHost: www.google.com\r\nConnection: close\r\n\r\n");
      assertThat(RunningWebServer.statusOf(response)).as("round %d", round).isEqualTo(200);
      served++;
    }
    assertThat(served).isEqualTo(ROUNDS);
  }
}
