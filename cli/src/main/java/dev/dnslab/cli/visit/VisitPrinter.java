package dev.dnslab.cli.visit;

import dev.dnslab.cli.visit.VisitReport.CacheCheck;
import dev.dnslab.cli.visit.VisitReport.Header;
import dev.dnslab.cli.visit.VisitReport.HttpMessage;
import dev.dnslab.cli.visit.VisitReport.Lookup;
import dev.dnslab.cli.visit.VisitReport.Packet;
import dev.dnslab.cli.visit.VisitReport.WalkStep;
import dev.dnslab.recursor.trace.TraceDnssec;
import java.util.List;
import java.util.Locale;

/** Writes a {@link VisitReport} as the numbered story of the articles, in English or Korean. */
public final class VisitPrinter {
  private final Vocabulary words;
  private final LockGlyphs locks;
  private final StringBuilder out = new StringBuilder();

  private VisitPrinter(Vocabulary words, LockGlyphs locks) {
    this.words = words;
    this.locks = locks;
  }

  /** The report as text; {@code lang} "ko" for the articles' Korean terms, anything else English. */
  public static String print(VisitReport report, String lang, String captureInterface) {
    return print(report, lang, captureInterface, LockGlyphs.UNICODE);
  }

  /** As {@link #print(VisitReport, String, String)}, drawing DNSSEC verdicts with {@code locks}. */
  public static String print(VisitReport report, String lang, String captureInterface, LockGlyphs locks) {
    return new VisitPrinter(Vocabulary.of(lang), locks).write(report, captureInterface);
  }

  private String write(VisitReport report, String captureInterface) {
    line(words.text("visiting", report.url()));
    line("");
    caches(report);
    lookup(report);
    if (report.connection() != null) {
      connection(report, captureInterface);
      exchange(report);
      rendering(report);
      closing(report);
    }
    return out.toString();
  }

  private void caches(VisitReport report) {
    line(words.text("caches.title", report.host()));
    int n = 1;
    for (CacheCheck check : report.caches()) {
      String name = words.text("cache." + check.cache().name());
      StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "   %d. %s %s", n++, pad(name, 14),
          words.text("result." + check.result())));
      if (check.ttl() != null) {
        text.append(", ").append(words.text("ttl", check.ttl()));
      }
      if (check.addresses() != null && !check.addresses().isEmpty()) {
        text.append(": ").append(String.join(", ", check.addresses()));
      }
      if (check.where() != null && !check.where().equals("this process")) {
        text.append("   [").append(check.where()).append(']');
      }
      line(text.toString());
    }
    line("");
  }

  private void lookup(VisitReport report) {
    Lookup lookup = report.lookup();
    String by = lookup.answeredBy();
    if (by.equals("browser") || by.equals("os")) {
      line(words.text("walk.skipped.title"));
      line("   " + words.text("found.cache", words.text("cache." + by), report.host(), String.join(", ", lookup.addresses())));
      line("");
      return;
    }
    if (by.equals("router") || by.equals("isp")) {
      line(words.text("walk.cached.title", words.text("cache." + by)));
    } else {
      line(words.text("walk.title"));
      if (lookup.walk() == null || lookup.walk().steps().isEmpty()) {
        line("   " + words.text("walk.unavailable", lookup.walk() == null ? "no recursor admin address" : lookup.walk().rcode()));
      } else {
        for (WalkStep step : lookup.walk().steps()) {
          walkStep(step);
        }
        line("   " + words.text("walk.summary", lookup.walk().upstreamQueries(), lookup.walk().durationMillis()));
      }
      if (lookup.walk() != null && lookup.walk().dnssec() != null) {
        chainOfTrust(lookup.walk().dnssec());
      }
    }
    if (lookup.addresses().isEmpty()) {
      line("   " + words.text("no.address", report.host()));
    } else {
      line("   " + words.text("address", report.host(), String.join(", ", lookup.addresses()), lookup.ttl()));
    }
    lookup.answer().forEach(a -> line("     " + a.replaceAll("\\s+", " ")));
    if (!lookup.addresses().isEmpty()) {
      line("   " + words.text("cached.now", HostCache.BROWSER_LIFETIME_SECONDS));
    }
    line("");
  }

  private void walkStep(WalkStep step) {
    String indent = "   " + "  ".repeat(step.depth());
    String label = step.articleStep().isEmpty() ? "[STEP ?]" : "[STEP " + step.articleStep() + "]";
    String role = switch (step.role()) {
      case "root", "tld", "authoritative" -> words.text("role." + step.role());
      default -> step.role();
    };
    if (step.dnssec() != null) {
      label += " " + locks.mark(step.dnssec());
    }
    line(String.format(Locale.ROOT, "%s%s %s %s (%s)%s", indent, label, role,
        step.server() == null ? "" : step.server(), step.address(),
        step.depth() > 0 ? " " + words.text("walk.nameserver") : ""));
    String result = switch (step.reply()) {
      case "REFERRAL" -> words.text("walk.referral", step.referral(), String.join(" ", step.nameServers()));
      case "ANSWER", "CNAME" -> words.text("walk.answer", String.join(" | ", step.answer()));
      default -> words.text("walk.other", step.reply());
    };
    line(String.format(Locale.ROOT, "%s   %s: %s -> %s   %.2f ms", indent, words.text("walk.asked"), step.question(),
        result, step.durationMillis()));
  }

  /**
   * The chain of trust from the root's trust anchor down, one zone at a time: its lock, the DS its
   * parent gave, its keys, which key signed what; and for a broken chain, where it breaks and why.
   */
  private void chainOfTrust(TraceDnssec dnssec) {
    String ede = dnssec.ede() == null ? "" : words.text("dnssec.ede", dnssec.ede().code(), dnssec.ede().name());
    line("   " + words.text("dnssec.title", locks.mark(dnssec.security()), words.text("security." + dnssec.security()), ede));
    String parent = words.text("dnssec.anchor");
    for (TraceDnssec.Link link : dnssec.chain()) {
      line(String.format(Locale.ROOT, "     %s %s%s: %s", locks.mark(link.security()), pad(link.zone(), 14),
          words.text("security." + link.security()), link.reason()));
      // A lock glyph takes two terminal columns (East Asian Width W), a bracketed word its length.
      String indent = "       " + " ".repeat(locks == LockGlyphs.UNICODE ? 2 : locks.mark(link.security()).length());
      if (!link.ds().isEmpty()) {
        line(indent + words.text("dnssec.ds", parent, String.join(", ", link.ds().stream().map(VisitPrinter::dsKey).toList())));
      }
      if (!link.dnskeys().isEmpty()) {
        line(indent + words.text("dnssec.keys", String.join(", ", link.dnskeys().stream().map(k -> key(k, link)).toList())));
      }
      if (!link.signatures().isEmpty()) {
        line(indent + words.text("dnssec.signed", String.join(", ", link.signatures().stream()
            .map(s -> words.text("dnssec.signature", s.owner(), s.type(), s.keyTag(), locks.mark(s.result()))).toList())));
      }
      parent = link.zone();
    }
    if (dnssec.brokenAt() != null) {
      line("   " + words.text("dnssec.breaks", locks.mark(dnssec.security()), dnssec.brokenAt(), dnssec.reason()));
    }
  }

  /** "35439 13 2": a DS record's key tag, algorithm and digest type, from its zone-file line. */
  private static String dsKey(String line) {
    String[] fields = line.trim().split("\\s+");
    for (int i = 0; i + 3 < fields.length; i++) {
      if (fields[i].equals("DS")) {
        return fields[i + 1] + " " + fields[i + 2] + " " + fields[i + 3];
      }
    }
    return line.trim();
  }

  /** "47402 KSK RSASHA256 (matches the DS)": tag, role (a lone SEP key signs everything: CSK), algorithm. */
  private String key(TraceDnssec.Key key, TraceDnssec.Link link) {
    String role = !key.secureEntryPoint() ? "ZSK" : link.dnskeys().size() == 1 ? "CSK" : "KSK";
    return key.tag() + " " + role + " " + key.algorithmName() + (key.trusted() ? " " + words.text("dnssec.trusted") : "");
  }

  private void connection(VisitReport report, String captureInterface) {
    var connection = report.connection();
    line(words.text("tcp.title", connection.server())
        + (connection.captured() ? " (" + words.text("tcp.captured", captureInterface) + ")" : ""));
    for (Packet p : connection.packets()) {
      packet(p);
    }
    line("   " + words.text("tcp.connect", connection.connectMillis(), connection.client()));
    if (!connection.captured() && connection.note() != null) {
      line("   " + words.text("tcp.notcaptured", connection.note()));
    }
    line("");
  }

  private void packet(Packet p) {
    String from = words.text("side." + p.from());
    String to = words.text("side." + (p.from().equals("client") ? "server" : "client"));
    String numbers = "seq=" + p.seq() + (p.ack() != 0 ? " ack=" + p.ack() : "")
        + " (" + p.relativeSeq() + (p.ack() != 0 ? "/" + p.relativeAck() : "") + ")";
    line(String.format(Locale.ROOT, "   %8.3f ms  %s -> %s  %-8s %-34s %s", p.millis(), from, to, p.flags(), numbers,
        words.text("state", from, p.state())));
  }

  private void exchange(VisitReport report) {
    HttpMessage request = report.exchange().request();
    line(words.text("request.title"));
    line("   " + words.text("request.start", request.startLine(), request.method(), request.target(), request.version()));
    headers(request.headers());
    line("   " + words.text("request.body"));
    HttpMessage response = report.exchange().response();
    line(words.text("response.title", report.exchange().millis(), report.exchange().https() ? ", TLS" : ""));
    line("   " + words.text("response.start", response.startLine(), response.version(), response.statusCode(),
        response.statusText()));
    headers(response.headers());
    line("   " + words.text("response.body", response.body().bytes(),
        response.body().contentType() == null ? "-" : response.body().contentType(), response.body().readAs()));
    line("");
  }

  private void headers(List<Header> headers) {
    line("   " + words.text("headers"));
    int width = headers.stream().mapToInt(h -> h.name().length() + h.value().length() + 2).max().orElse(0);
    for (Header h : headers) {
      String text = h.name() + ": " + h.value();
      line("     " + text + " ".repeat(Math.max(1, width - text.length() + 2)) + "[" + words.text("group." + h.group()) + "]");
    }
  }

  private void rendering(VisitReport report) {
    var rendering = report.rendering();
    line(words.text("render.title"));
    if (rendering.title() != null) {
      line("   " + words.text("render.pagetitle", rendering.title()));
    }
    if (rendering.text() != null) {
      line("   " + words.text("render.text"));
      for (String paragraph : rendering.text().split("\n")) {
        line("     " + paragraph);
      }
    }
    if (rendering.screenshot() != null) {
      line("   " + words.text("render.screenshot", rendering.screenshot()));
    } else if (rendering.screenshotNote() != null) {
      line("   " + words.text("render.noscreenshot", rendering.screenshotNote()));
    }
    line("");
  }

  private void closing(VisitReport report) {
    var closing = report.closing();
    line(words.text("close.title"));
    if (closing.captured()) {
      closing.packets().forEach(this::packet);
      line("   " + words.text("close.client"));
    } else {
      line("   " + words.text("close.notcaptured"));
    }
  }

  /** Pads to {@code columns} terminal columns; Hangul takes two columns each. */
  static String pad(String text, int columns) {
    int width = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      width += (c >= 0x1100 && c <= 0x115F) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x3130 && c <= 0x318F) ? 2 : 1;
    }
    return text + " ".repeat(Math.max(1, columns - width));
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
