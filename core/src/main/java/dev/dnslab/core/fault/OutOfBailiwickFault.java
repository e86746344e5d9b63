package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Adds records the server has no authority for to the answer section of every matching response,
 * the way a cache-poisoning attempt would (e.g. {@code www.naver.com. A 192.0.2.66} in an answer
 * from google.com's server). RFC 2181 5.4.1 and RFC 5452 6: a resolver must not accept or cache
 * data from a server outside that server's bailiwick, and must never hand it to a client.
 */
public final class OutOfBailiwickFault extends FaultHandler {
  private final List<Record> extra;

  public OutOfBailiwickFault(QueryMatch match, List<Record> extra, FaultListener listener) {
    super("out-of-bailiwick", match, listener);
    this.extra = List.copyOf(requireNonNull(extra, "extra"));
    if (this.extra.isEmpty()) {
      throw new IllegalArgumentException("extra: [] (expected: at least one record to add)");
    }
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return next.proceed(request)
        .thenApply(
            response -> {
              for (Record record : extra) {
                response.addRecord(record, Section.ANSWER);
              }
              return response;
            });
  }

  public List<Record> extra() {
    return extra;
  }
}
