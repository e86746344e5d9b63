package dev.dnslab.web;

import java.util.List;

/** {@link RequestEcho} as an HTML page a learner reads in the browser. */
final class EchoPage {
  private EchoPage() {}

  static String render(RequestEcho echo) {
    StringBuilder html = new StringBuilder();
    html.append("<h1>Your request, as the server received it</h1>");
    html.append("<p>Sent by <code>").append(endpoint(echo.client())).append("</code> to <code>")
        .append(endpoint(echo.server())).append("</code> over <b>").append(Html.escape(echo.scheme()))
        .append("</b> using <b>").append(Html.escape(echo.protocol())).append("</b>.")
        .append(" Add <a href=\"?format=json\">?format=json</a> to get this as JSON.</p>");

    html.append("<h2>Start line</h2><table><tr><th>method</th><th>target</th><th>version</th></tr><tr><td>")
        .append(Html.escape(echo.startLine().method())).append("</td><td>")
        .append(Html.escape(echo.startLine().target())).append("</td><td>")
        .append(Html.escape(echo.startLine().version())).append("</td></tr></table>");
    if (echo.startLine().note() != null) {
      html.append("<p class=\"note\">").append(Html.escape(echo.startLine().note())).append("</p>");
      headerTable(html, "Pseudo-header fields", echo.pseudoHeaders());
    }
    for (HeaderGroup group : HeaderGroup.values()) {
      html.append("<h2>").append(Html.escape(group.key())).append(" headers</h2><p class=\"note\">")
          .append(Html.escape(group.description())).append("</p>");
      List<RequestEcho.Header> headers = echo.headers().get(group.key());
      if (headers.isEmpty()) {
        html.append("<p class=\"note\">(none)</p>");
      } else {
        headerTable(html, null, headers);
      }
    }
    html.append("<h2>Body</h2>");
    RequestEcho.Body body = echo.body();
    if (body.bytes() == 0) {
      html.append("<p class=\"note\">(empty: a GET request carries no body)</p>");
    } else {
      html.append("<p>").append(body.bytes()).append(" bytes").append(body.truncated() ? " (shortened)" : "").append("</p><pre>")
          .append(Html.escape(body.text() != null ? body.text() : body.hex())).append("</pre>");
    }
    return Html.page("Request echo", html.toString());
  }

  private static void headerTable(StringBuilder html, String title, List<RequestEcho.Header> headers) {
    if (title != null) {
      html.append("<h2>").append(Html.escape(title)).append("</h2>");
    }
    html.append("<table><tr><th>name</th><th>value</th></tr>");
    for (RequestEcho.Header header : headers) {
      html.append("<tr><td>").append(Html.escape(header.name())).append("</td><td>")
          .append(Html.escape(header.value())).append("</td></tr>");
    }
    html.append("</table>");
  }

  private static String endpoint(RequestEcho.Endpoint endpoint) {
    if (endpoint == null) {
      return "?";
    }
    String address = endpoint.address().contains(":") ? "[" + endpoint.address() + "]" : endpoint.address();
    return Html.escape(address + ":" + endpoint.port());
  }
}
