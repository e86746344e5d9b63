package dev.dnslab.cli;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.scenario.CheckRunner;
import dev.dnslab.core.server.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A lab started by {@code dnslab up --scenario} in another process (another container of the same
 * pod, or another terminal), as the check judge sees it: its address plan, and its query journal
 * read over HTTP ({@code GET /journal}, one {@code query <server> <transport> ...} line per query).
 */
final class LabJournal implements CheckRunner.LabView {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final AddressPlan plan;
  private final URI journal;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

  LabJournal(AddressPlan plan, URI journal) {
    this.plan = requireNonNull(plan, "plan");
    this.journal = requireNonNull(journal, "journal");
  }

  URI uri() {
    return journal;
  }

  /** The journal's text; fails when the lab does not serve it (not up yet, or no scenario). */
  String read() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(journal).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + journal + ": HTTP " + response.statusCode());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + journal, e);
    }
  }

  @Override
  public InetAddress address(String zoneFileAddress) {
    try {
      return plan.translate(InetAddress.getByName(zoneFileAddress));
    } catch (IOException e) {
      throw new IllegalArgumentException("not an address: " + zoneFileAddress, e);
    }
  }

  @Override
  public boolean receivedTcp(LabRole role) throws IOException {
    String prefix = "query " + role.serviceName() + " " + Transport.TCP.tag() + " ";
    return read().lines().anyMatch(line -> line.startsWith(prefix));
  }
}
