package dev.dnslab.core.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One plain HTTP/1.1 GET over a socket, healthy on a 2xx status. A raw socket, not
 * {@code HttpURLConnection}, so the probe can send any {@code Host} (a lab site's name) to an
 * address literal without asking DNS.
 */
@Command(
    name = "http",
    mixinStandardHelpOptions = true,
    description = "Sends one HTTP GET and checks for a 2xx status.")
final class HttpProbe implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "http://ADDRESS[:PORT]/PATH")
  URI url;

  @Option(names = "--host", description = "Host header (default: the URL's host).")
  String host;

  @Option(names = "--timeout-ms", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  int timeoutMs = 2000;

  @Override
  public Integer call() {
    if (!"http".equals(url.getScheme()) || url.getHost() == null) {
      System.out.println("http: url: " + url + " (expected: http://ADDRESS[:PORT]/PATH)");
      return HealthProbe.UNHEALTHY;
    }
    int port = url.getPort() < 0 ? 80 : url.getPort();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    String hostHeader = host != null ? host : url.getHost();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), port), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: dnslab-health-probe\r\n"
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String status = in.readLine();
      // RFC 9112 4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
      String[] parts = status == null ? new String[0] : status.split(" ", 3);
      if (parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].startsWith("2")) {
        System.out.println("http: ok " + url + " (Host: " + hostHeader + "): " + status);
        return HealthProbe.HEALTHY;
      }
      System.out.println("http: " + url + " (Host: " + hostHeader + "): " + status + " (expected: 2xx)");
      return HealthProbe.UNHEALTHY;
    } catch (IOException e) {
      System.out.println("http: no reply from " + url + ": " + e);
      return HealthProbe.UNHEALTHY;
    }
  }
}
