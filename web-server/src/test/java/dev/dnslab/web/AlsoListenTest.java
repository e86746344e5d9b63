package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebServerConfig#withAlsoListen} serves HTTP and HTTPS on another address too, on the same
 * ports: here ::1 beside 127.0.0.1, the loopback stand-in for the web server's IPv6 address
 * (Ipv6NetnsIT fetches pages from the lab's fd00:53:53:127::80 with curl).
 */
class AlsoListenTest {
  @TempDir Path stateDir;

  @Test
  void servesTheSitesOnTheAlsoListenAddressOnTheSamePorts() throws Exception {
    // given a web server on 127.0.0.1 that also listens on ::1
    WebServerConfig config = WebServerConfig.onPorts(InetAddress.getLoopbackAddress(), 0, 0, 0,
            BundledSites.extract(), stateDir)
        .withThreads(1)
        .withAlsoListen(List.of(NetUtil.LOCALHOST6));
    try (WebServer web = new WebServer(config).start()) {
      // when a client asks for www.google.com's page at [::1] on the HTTP port
      String response = get(new InetSocketAddress(NetUtil.LOCALHOST6, web.httpAddress().getPort()), "www.google.com");

      // then the site answers there, and the certificate would name ::1 for clients using the literal
      assertThat(response).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("google");
      assertThat(config.certificateAddresses()).contains(NetUtil.LOCALHOST6);
    }
  }

  /** One HTTP/1.1 GET of / with the Host header {@code host}, the whole response as text. */
  private static String get(InetSocketAddress address, String host) throws IOException {
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout((int) RunningWebServer.DEADLINE.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
