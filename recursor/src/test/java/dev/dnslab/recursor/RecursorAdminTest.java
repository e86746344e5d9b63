package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnslab.testing.MetricsScrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The admin port: /trace, /cache, /cache/flush and /metrics over real HTTP. */
class RecursorAdminTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).emptyCacheBeforeEach();

  /** Over the signed lab, for what a flush forgets beside the cache. */
  @RegisterExtension
  static final RecursorExtension validating = RecursorExtension.on(LabHierarchy.LAB_ZONES).signed();

  @Test
  void tracesEveryStepInTheDocumentedShape() throws Exception {
    JsonNode trace = JSON.readTree(get("/trace?name=www.naver.com&type=A"));

    assertThat(trace.get("question").get("name").asText()).isEqualTo("www.naver.com.");
    assertThat(trace.get("rcode").asText()).isEqualTo("NOERROR");
    assertThat(trace.get("qnameMinimisation").asBoolean()).isTrue();
    assertThat(trace.get("answer")).hasSize(2);
    JsonNode first = trace.get("steps").get(0);
    for (String field : new String[] {"step", "depth", "zone", "server", "question", "transport", "reply",
        "rcode", "authoritative", "answer", "authority", "additional", "durationMillis", "note"}) {
      assertThat(first.has(field)).as(field).isTrue();
    }
    assertThat(first.get("server").get("role").asText()).isEqualTo("root");
    assertThat(first.get("server").get("address").asText()).isEqualTo(recursor.lab().plan().address(dev.dnslab.core.lab.LabRole.ROOT).getHostAddress());
    assertThat(trace.get("steps").findValuesAsText("reply")).contains("REFERRAL", "CNAME", "ANSWER");
  }

  @Test
  void tracesALocallyServedNameAsAnsweredLocallyWithoutSteps() throws Exception {
    JsonNode localhost = JSON.readTree(get("/trace?name=localhost&type=A"));
    JsonNode invalid = JSON.readTree(get("/trace?name=www.invalid&type=A"));
    JsonNode privateReverse = JSON.readTree(get("/trace?name=1.0.168.192.in-addr.arpa&type=PTR"));
    JsonNode walked = JSON.readTree(get("/trace?name=www.google.com&type=A"));

    assertThat(localhost.get("answeredLocally").asText())
        .isEqualTo("answered locally (RFC 6761/6303): no upstream query (zone localhost.)");
    assertThat(localhost.get("rcode").asText()).isEqualTo("NOERROR");
    assertThat(localhost.get("answer").get(0).asText()).endsWith("A\t127.0.0.1");
    assertThat(localhost.get("steps")).isEmpty();
    assertThat(localhost.get("upstreamQueries").asInt()).isZero();
    assertThat(invalid.get("rcode").asText()).isEqualTo("NXDOMAIN");
    assertThat(invalid.get("answeredLocally").asText()).endsWith("(zone invalid.)");
    assertThat(invalid.get("steps")).isEmpty();
    assertThat(privateReverse.get("rcode").asText()).isEqualTo("NXDOMAIN");
    assertThat(privateReverse.get("answeredLocally").asText()).endsWith("(zone 168.192.in-addr.arpa.)");
    assertThat(walked.get("answeredLocally").isNull()).isTrue();
  }

  @Test
  void tracesTheLastPrimingRoundWithWhy() throws Exception {
    JsonNode priming = JSON.readTree(get("/trace?name=www.google.com&type=A")).get("priming");

    assertThat(priming.get("rootServers").asText()).isEqualTo("PRIMED");
    assertThat(priming.get("why").asText()).contains("RFC 9609");
    assertThat(priming.get("steps").get(0).get("question").get("type").asText()).isEqualTo("NS");
  }

  @Test
  void bypassesTheCacheWhenTracing() throws Exception {
    Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);

    JsonNode trace = JSON.readTree(get("/trace?name=www.google.com&type=A"));

    assertThat(trace.get("steps").get(0).get("server").get("role").asText()).isEqualTo("root");
    assertThat(trace.get("upstreamQueries").asInt()).isEqualTo(3);
  }

  @Test
  void showsCachedRrsetsWithRemainingTtl() throws Exception {
    Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);

    JsonNode cache = JSON.readTree(get("/cache"));
    String text = get("/cache?format=text");

    JsonNode entry = null;
    for (JsonNode candidate : cache) {
      if (candidate.get("name").asText().equals("www.google.com.") && candidate.get("type").asText().equals("A")) {
        entry = candidate;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.get("ttl").asLong()).isBetween(295L, 300L);
    assertThat(entry.get("rank").asText()).isEqualTo("ANSWER");
    assertThat(entry.get("zone").asText()).isEqualTo("google.com.");
    assertThat(text).contains("www.google.com.").contains("IN\tA");
  }

  @Test
  void flushesOneNameOrEverything() throws Exception {
    Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);
    Dig.query(recursor.server().dnsAddress(), "www.naver.com.", Type.A);

    post("/cache/flush?name=www.google.com");

    assertThat(recursor.server().cache().positive(org.xbill.DNS.Name.fromString("www.google.com."), Type.A,
        dev.dnslab.core.cache.CacheRank.GLUE)).isNull();
    assertThat(recursor.server().cache().size()).isGreaterThan(0);
    post("/cache/flush");
    assertThat(recursor.server().cache().size()).isZero();
  }

  @Test
  void flushAlsoForgetsVerdictsValidatedKeysAndNsecProofs() throws Exception {
    Dig.queryEdns(validating.server().dnsAddress(), "www.google.com.", Type.A, true, false, false);
    Dig.queryEdns(validating.server().dnsAddress(), "nosuch.google.com.", Type.A, true, false, false);

    JsonNode one = JSON.readTree(post(validating, "/cache/flush?name=www.google.com"));
    JsonNode all = JSON.readTree(post(validating, "/cache/flush"));
    JsonNode again = JSON.readTree(post(validating, "/cache/flush"));

    assertThat(one.get("verdicts").asInt()).as(one.toString()).isEqualTo(1);
    assertThat(all.get("verdicts").asInt()).as(all.toString()).isPositive(); // nosuch.google.com. A at least
    assertThat(all.get("keyEntries").asInt()).as(all.toString()).isPositive();
    assertThat(all.get("aggressiveRrsets").asInt()).as(all.toString()).isPositive();
    assertThat(again.get("verdicts").asInt() + again.get("keyEntries").asInt() + again.get("aggressiveRrsets").asInt())
        .as(again.toString()).isZero();
  }

  @Test
  void aNameTheForgottenNsecDeniedIsAskedAgain() throws Exception {
    Dig.queryEdns(validating.server().dnsAddress(), "nosuch.google.com.", Type.A, true, false, false);
    post(validating, "/cache/flush");
    double sent = upstreamQueries(validating);

    // RFC 8198 would have answered this from the NSEC learnt above, had the flush kept it.
    Message response = Dig.queryEdns(validating.server().dnsAddress(), "nothere.google.com.", Type.A, true, false, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    assertThat(upstreamQueries(validating)).as("asked the name servers again").isGreaterThan(sent);
  }

  @Test
  void exportsRecursorMetricsWithDocumentedNames() throws Exception {
    Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);
    Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);

    String metrics = MetricsScrape.of(recursor.server().adminAddress()).text();

    assertThat(metrics)
        .contains("dns_cache_lookups_total{result=\"hit\",role=\"recursor\"}")
        .contains("dns_cache_lookups_total{result=\"miss\",role=\"recursor\"}")
        .contains("dns_recursor_upstream_queries_total{server_role=\"root\",transport=\"udp\"}")
        .contains("dns_recursor_upstream_duration_seconds")
        .contains("dns_recursor_replies_total{type=\"REFERRAL\"}")
        .contains("dns_responses_total{rcode=\"NOERROR\",role=\"recursor\"}")
        .contains("dns_cache_entries{role=\"recursor\"}");
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private static String post(String path) throws Exception {
    return post(recursor, path);
  }

  private static String post(RecursorExtension server, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(uri(server, path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private static double upstreamQueries(RecursorExtension server) {
    return server.server().registry().find(RecursorMetrics.UPSTREAM_QUERIES).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  private static URI uri(String path) {
    return uri(recursor, path);
  }

  private static URI uri(RecursorExtension server, String path) {
    var admin = server.server().adminAddress();
    return URI.create("http://" + admin.getAddress().getHostAddress() + ":" + admin.getPort() + path);
  }
}
