package dev.dnslab.core.handler;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One dig-like line per query at DEBUG, e.g. {@code 127.0.0.1#40211 udp www.google.com. IN A ->
 * NOERROR id=4711 flags=qr aa ans=1 auth=0 add=1 0.18ms}. The logger is named {@code dnslab.query.ROLE}
 * so one role's queries can be turned on alone.
 */
public final class QueryLogHandler implements DnsHandler {
  private final Logger log;

  public QueryLogHandler(String role) {
    this.log = LoggerFactory.getLogger("dnslab.query." + role);
  }

  /** Whether each query is logged now: the level can change while the server runs. */
  public boolean logsQueries() {
    return log.isDebugEnabled();
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    CompletionStage<Message> response = next.proceed(request);
    if (!log.isDebugEnabled()) {
      return response;
    }
    return response.whenComplete(
        (answer, failure) -> {
          if (answer != null) {
            log.debug(line(request, answer));
          }
        });
  }

  static String line(DnsRequest request, Message response) {
    Record q = request.question();
    String question =
        q == null
            ? "<no question>"
            : q.getName() + " " + DClass.string(q.getDClass()) + " " + Type.string(q.getType());
    var header = response.getHeader();
    return String.format(
        Locale.ROOT,
        "%s#%d %s %s -> %s id=%d flags=%s ans=%d auth=%d add=%d %.2fms",
        request.client().getAddress().getHostAddress(),
        request.client().getPort(),
        request.transport().tag(),
        question,
        Rcode.string(response.getRcode()),
        header.getID(),
        header.printFlags().trim(),
        header.getCount(Section.ANSWER),
        header.getCount(Section.AUTHORITY),
        header.getCount(Section.ADDITIONAL),
        (System.nanoTime() - request.receivedNanos()) / 1e6);
  }
}
