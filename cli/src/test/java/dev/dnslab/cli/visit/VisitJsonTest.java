package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnslab.cli.visit.VisitReport.Body;
import dev.dnslab.cli.visit.VisitReport.CacheCheck;
import dev.dnslab.cli.visit.VisitReport.CacheName;
import dev.dnslab.cli.visit.VisitReport.Closing;
import dev.dnslab.cli.visit.VisitReport.Connection;
import dev.dnslab.cli.visit.VisitReport.Exchange;
import dev.dnslab.cli.visit.VisitReport.Header;
import dev.dnslab.cli.visit.VisitReport.HttpMessage;
import dev.dnslab.cli.visit.VisitReport.Lookup;
import dev.dnslab.cli.visit.VisitReport.Packet;
import dev.dnslab.cli.visit.VisitReport.Rendering;
import dev.dnslab.cli.visit.VisitReport.Walk;
import dev.dnslab.cli.visit.VisitReport.WalkStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The {@code --json} document's field names: the articles are "articles", never "seeds". */
class VisitJsonTest {
  private static final VisitReport REPORT = new VisitReport(
      "http://www.google.com/",
      "www.google.com",
      List.of(new CacheCheck(CacheName.browser, "miss", null, null, "this process")),
      new Lookup("walk", List.of("127.53.0.80"), 300L, List.of("www.google.com. 300 IN A 127.53.0.80"),
          new Walk("NOERROR", 1, 0.9, List.of(new WalkStep(1, Visit.articleStep("root"), 0, "root",
              "a.root-servers.net.", "127.53.0.11", "com. A", "REFERRAL", "com.", List.of("a.gtld-servers.net."),
              List.of(), 0.9)))),
      new Connection("127.53.0.80:80", "127.0.0.1:45033", 0.25, true,
          List.of(new Packet("client", "SYN", 1, 0, 0, 0, "SYN_SENT", 0.0)), null),
      new Exchange(
          new HttpMessage("GET / HTTP/1.1", "GET", "/", "HTTP/1.1", null, null,
              List.of(new Header("Host", "www.google.com", "request")), new Body(0, null, "bytes")),
          new HttpMessage("HTTP/1.1 200 OK", null, null, "HTTP/1.1", 200, "OK",
              List.of(new Header("content-type", "text/html", "representation")), new Body(10, "text/html", "html")),
          false, 2.7),
      new Rendering("Google (dnslab)", "text", null, null),
      new Closing(false, List.of(), "not captured"));

  @Test
  void namesTheStepNumberAfterTheArticleAndKeepsTheDeprecatedAlias() throws Exception {
    JsonNode step = json().path("lookup").path("walk").path("steps").get(0);

    assertThat(step.path("articleStep").asText()).isEqualTo("3-4");
    assertThat(step.path("seedStep").asText()).as("deprecated alias, removed in 0.2").isEqualTo("3-4");
    assertThat(step.fieldNames()).toIterable().startsWith("step", "articleStep", "seedStep");
  }

  @Test
  void noOtherFieldIsNamedAfterSeeds() throws Exception {
    List<String> names = new ArrayList<>();
    collectFieldNames(json(), names);

    assertThat(names).contains("url", "caches", "walk", "articleStep", "packets", "headers", "closing");
    assertThat(names).filteredOn(name -> name.toLowerCase(Locale.ROOT).contains("seed")).containsOnly("seedStep");
  }

  private static JsonNode json() throws Exception {
    return new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(REPORT));
  }

  private static void collectFieldNames(JsonNode node, List<String> names) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        names.add(field.getKey());
        collectFieldNames(field.getValue(), names);
      });
    } else if (node.isArray()) {
      node.elements().forEachRemaining(element -> collectFieldNames(element, names));
    }
  }
}
