package dev.dnslab.web;

import java.util.List;
import java.util.Map;

/** The server's own pages: not found, unknown site, and plain errors. Never a stack trace. */
final class LabPages {
  private LabPages() {}

  static String notFound(String host, String path) {
    return Html.page(
        "404 Not Found",
        "<h1>404 Not Found</h1>"
            + "<p>The site <b>" + Html.escape(host) + "</b> has no file at <code>" + Html.escape(path) + "</code>.</p>"
            + "<p class=\"note\">The server looked in its folder for this site and found nothing, so the status"
            + " line says <code>404 Not Found</code>: the request was fine, the resource does not exist."
            + " Try <a href=\"/\">the home page</a> or <a href=\"/_lab/echo\">/_lab/echo</a>.</p>");
  }

  /** For a Host that names no lab site, e.g. a bare address: list where the learner can go. */
  static String unknownHost(String host, List<String> sites, Map<String, String> aliases) {
    StringBuilder list = new StringBuilder("<ul>");
    for (String site : sites) {
      list.append("<li><a href=\"http://").append(Html.escape(site)).append("/\">").append(Html.escape(site)).append("</a></li>");
    }
    for (Map.Entry<String, String> alias : aliases.entrySet()) {
      list.append("<li><a href=\"http://").append(Html.escape(alias.getKey())).append("/\">")
          .append(Html.escape(alias.getKey())).append("</a> (redirects to ").append(Html.escape(alias.getValue())).append(")</li>");
    }
    list.append("</ul>");
    String asked = host == null ? "no Host header" : "<code>Host: " + Html.escape(host) + "</code>";
    return Html.page(
        "No such site on this lab server",
        "<h1>No site here by that name</h1>"
            + "<p>This is the dnslab web server. Your request said " + asked + ", and no lab site has that name.</p>"
            + "<p class=\"note\">One server, one address, many sites: the server picks the site by the"
            + " <code>Host</code> header of the request (name-based virtual hosting), not by the address you"
            + " connected to. These are the sites it serves:</p>" + list
            + "<p>See your request as the server received it: <a href=\"/_lab/echo\">/_lab/echo</a>.</p>");
  }

  static String error(int status, String reason, String explanation) {
    return Html.page(
        status + " " + reason,
        "<h1>" + status + " " + Html.escape(reason) + "</h1><p>" + Html.escape(explanation) + "</p>");
  }
}
