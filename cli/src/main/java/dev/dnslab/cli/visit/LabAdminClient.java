package dev.dnslab.cli.visit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads a lab server's admin port: {@code /cache} of the router and recursor, the recursor's {@code /trace}. */
final class LabAdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A trace walks the whole hierarchy; a lab walk takes milliseconds, a broken one seconds. */
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .proxy(HttpClient.Builder.NO_PROXY).build();
  private final InetSocketAddress admin;

  LabAdminClient(InetSocketAddress admin) {
    this.admin = requireNonNull(admin, "admin");
  }

  InetSocketAddress address() {
    return admin;
  }

  JsonNode cache() throws IOException {
    return get("/cache");
  }

  JsonNode trace(String name, String type) throws IOException {
    return get("/trace?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&type=" + type);
  }

  /** Forgets {@code name} (every type) in the server's cache. */
  JsonNode flush(String name) throws IOException {
    return send("/cache/flush?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), true);
  }

  private JsonNode get(String path) throws IOException {
    return send(path, false);
  }

  private JsonNode send(String path, boolean post) throws IOException {
    URI uri = URI.create("http://" + admin.getAddress().getHostAddress() + ":" + admin.getPort() + path);
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
      request = post ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(uri + ": HTTP " + response.statusCode() + " " + response.body().strip());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(uri + ": interrupted", e);
    }
  }
}
