package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** /_lab/echo shows the request message as the seeds describe it. */
class RequestEchoTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path stateDir;
  @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);

  @Test
  void showsTheStartLineAndGroupsHeadersAsRequestGeneralAndRepresentation() throws Exception {
    String response =
        web.raw("POST /_lab/echo?format=json HTTP/1.1\r\nHost: www.google.com\r\nUser-Agent: lab-test\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 5\r\nX-Lab: yes\r\nConnection: close\r\n\r\nhello");

    JsonNode echo = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));

    assertThat(echo.at("/startLine/method").asText()).isEqualTo("POST");
    assertThat(echo.at("/startLine/target").asText()).isEqualTo("/_lab/echo?format=json");
    assertThat(echo.at("/startLine/version").asText()).isEqualTo("HTTP/1.1");
    assertThat(echo.at("/headers/request").findValuesAsText("name")).containsExactly("Host", "User-Agent", "X-Lab");
    assertThat(echo.at("/headers/general").findValuesAsText("name")).containsExactly("Connection");
    assertThat(echo.at("/headers/representation").findValuesAsText("name")).containsExactly("Content-Type", "Content-Length");
    assertThat(echo.at("/body/text").asText()).isEqualTo("hello");
    assertThat(echo.at("/protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(echo.at("/client/address").asText()).isEqualTo("127.0.0.1");
    assertThat(echo.at("/client/port").asInt()).isPositive();
    assertThat(echo.at("/server/port").asInt()).isEqualTo(web.httpPort());
  }

  @Test
  void answersJsonWhenTheAcceptHeaderAsksForIt() {
    HttpResponse<String> response = web.get("www.naver.com", "/_lab/echo", "Accept", "application/json");

    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.body()).contains("\"startLine\"");
  }

  @Test
  void answersHtmlForABrowser() {
    HttpResponse<String> response =
        web.get("www.naver.com", "/_lab/echo", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");

    assertThat(response.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(response.body()).contains("Start line").contains("request headers").contains("general headers")
        .contains("representation headers").contains("text/html,application/xhtml+xml");
  }

  @Test
  void escapesWhatTheClientSentInTheHtmlPage() {
    HttpResponse<String> response = web.get("www.naver.com", "/_lab/echo", "X-Probe", "<script>alert(1)</script>");

    assertThat(response.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
  }

  @Test
  void worksForAnyHostIncludingABareAddress() {
    HttpResponse<String> response =
        RunningWebServer.send(web.http1Client(), HttpRequest.newBuilder(web.http("/_lab/echo?format=json")).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("127.0.0.1:" + web.httpPort());
  }
}
