package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.testing.MetricsScrape;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The admin port: metrics with the documented names, health, zones with serials, reload. */
class AuthorityServerAdminTest {
  private static final String ZONE =
      "$ORIGIN reload.test.\n$TTL 300\n@ SOA ns1 admin %d 900 900 1800 60\n@ NS ns1\nns1 A 192.0.2.1\nwww A %s\n";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(AuthorityFixture server, String path) throws Exception {
    var admin = server.server().adminAddress();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(AuthorityFixture server, String path) throws Exception {
    var admin = server.server().adminAddress();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void exportsPrometheusMetricsWithRoleAndRcodeTags() throws Exception {
    try (AuthorityFixture server = AuthorityFixture.start("authoritative-ns", List.of(AuthorityFixture.labZones("authoritative")))) {
      server.query("www.google.com.");
      server.query("nosuch.google.com.");
      String metrics = MetricsScrape.of(server.server().adminAddress()).text();
      assertThat(metrics)
          .contains("dns_requests_total{qtype=\"A\",role=\"authoritative-ns\",transport=\"udp\"}")
          .contains("dns_responses_total{rcode=\"NXDOMAIN\",role=\"authoritative-ns\"}")
          .contains("dns_responses_total{rcode=\"NOERROR\",role=\"authoritative-ns\"}")
          .contains("dns_request_duration_seconds_count{role=\"authoritative-ns\"}")
          .doesNotContain("google.com"); // a query name is never a label
    }
  }

  @Test
  void reportsHealthAndZonesWithSerials() throws Exception {
    try (AuthorityFixture server = AuthorityFixture.start("tld-ns", List.of(AuthorityFixture.labZones("tld")))) {
      HttpResponse<String> health = get(server, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok\n");
      String zones = get(server, "/zones").body();
      assertThat(zones).contains("\"zone\" : \"com.\"").contains("\"serial\" : 2026112501").contains("\"zone\" : \"co.kr.\"");
      assertThat(get(server, "/nope").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void keepsLastGoodZoneWhenReloadFails() throws Exception {
    Path file = dir.resolve("reload.test.zone");
    Files.writeString(file, String.format(ZONE, 1, "192.0.2.10"));
    try (AuthorityFixture server = AuthorityFixture.start("authoritative-ns", List.of(dir))) {
      Files.writeString(file, String.format(ZONE, 2, "192.0.2.999"));
      HttpResponse<String> reload = post(server, "/reload");
      assertThat(reload.statusCode()).isEqualTo(422);
      assertThat(reload.body()).contains(file + ":6: ");
      var answer = server.query("www.reload.test.");
      assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(answer.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("192.0.2.10");
    }
  }

  @Test
  void servesNewSerialAfterSuccessfulReload() throws Exception {
    Path file = dir.resolve("reload.test.zone");
    Files.writeString(file, String.format(ZONE, 1, "192.0.2.10"));
    try (AuthorityFixture server = AuthorityFixture.start("authoritative-ns", List.of(dir))) {
      Files.writeString(file, String.format(ZONE, 2, "192.0.2.20"));
      assertThat(post(server, "/reload").statusCode()).isEqualTo(200);
      assertThat(server.query("www.reload.test.").getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("192.0.2.20");
      assertThat(server.query("reload.test.", Type.SOA).getSection(Section.ANSWER).get(0).rdataToString()).contains(" 2 ");
      assertThat(get(server, "/reload").statusCode()).isEqualTo(405);
    }
  }

  @Test
  void answersQueriesWhileAReloadIsUnderWay() throws Exception {
    Path file = dir.resolve("reload.test.zone");
    Files.writeString(file, String.format(ZONE, 1, "192.0.2.10"));
    // One loop, which the admin server shares with DNS: a reload run there would hold every answer.
    var config = AuthorityConfig.builder("authoritative-ns")
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .admin(new InetSocketAddress("127.0.0.1", 0))
        .zoneSources(List.of(dir))
        .threads(1)
        .build();
    CountDownLatch reloadAsked = new CountDownLatch(1);
    CountDownLatch reloadMayRun = new CountDownLatch(1);
    Executor heldReloads = task -> {
      reloadAsked.countDown();
      new Thread(() -> {
        try {
          reloadMayRun.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        task.run();
      }).start();
    };
    try (AuthorityServer server = new AuthorityServer(config, heldReloads).start()) {
      Files.writeString(file, String.format(ZONE, 2, "192.0.2.20"));
      var reload = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + "/reload"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      boolean reloadHeld = reloadAsked.await(10, TimeUnit.SECONDS);

      SimpleResolver udp = new SimpleResolver(server.dnsAddress());
      udp.setTimeout(Duration.ofSeconds(3));
      Message during = udp.send(Message.newQuery(Record.newRecord(Name.fromString("www.reload.test."), Type.A, DClass.IN)));
      boolean reloadDoneBeforeRelease = reload.isDone();
      reloadMayRun.countDown();
      int reloadStatus = reload.get(10, TimeUnit.SECONDS).statusCode();
      Message after = udp.send(Message.newQuery(Record.newRecord(Name.fromString("www.reload.test."), Type.A, DClass.IN)));

      assertThat(reloadHeld).as("POST /reload handed to the reload executor").isTrue();
      assertThat(during.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("192.0.2.10");
      assertThat(reloadDoneBeforeRelease).isFalse();
      assertThat(reloadStatus).isEqualTo(200);
      assertThat(after.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("192.0.2.20");
    }
  }

  @Test
  void refusesToStartOnBadZone() throws Exception {
    Path file = dir.resolve("reload.test.zone");
    Files.writeString(file, String.format(ZONE, 1, "not-an-address"));
    var config = AuthorityFixture.config("authoritative-ns", List.of(dir));
    var server = new AuthorityServer(config);
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(server::start)
          .isInstanceOf(dev.dnslab.core.zone.ZoneLoadException.class)
          .hasMessageStartingWith(file + ":6: ");
    } finally {
      server.close();
    }
  }
}
