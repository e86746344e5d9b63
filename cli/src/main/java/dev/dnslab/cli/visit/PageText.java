package dev.dnslab.cli.visit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a browser would draw, in words: the HTML page's title and its visible text. */
record PageText(String title, String text) {
  private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern INVISIBLE =
      Pattern.compile("<(head|script|style|noscript|template)\\b.*?</\\1\\s*>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("<[^>]*>", Pattern.DOTALL);
  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  /** Enough text for a learner to recognise the page. */
  static final int MAX_TEXT = 1200;

  static PageText of(String html) {
    Matcher title = TITLE.matcher(html);
    String pageTitle = title.find() ? clean(title.group(1)) : null;
    String body = COMMENT.matcher(html).replaceAll(" ");
    body = INVISIBLE.matcher(body).replaceAll(" ");
    body = body.replaceAll("(?i)<(br|p|div|h[1-6]|li|tr|section|article|header|footer)\\b", "\n$0");
    body = TAG.matcher(body).replaceAll(" ");
    String text = clean(body);
    if (text.length() > MAX_TEXT) {
      text = text.substring(0, MAX_TEXT) + "...";
    }
    return new PageText(pageTitle, text);
  }

  private static String clean(String text) {
    return decode(text).replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" ?\\n[ \\n]*", "\n").strip();
  }

  private static String decode(String text) {
    return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&rarr;", "->").replace("&larr;", "<-").replace("&middot;", "·")
        .replace("&amp;", "&");
  }
}
