package dev.dnslab.core.handler;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.ReadyStage;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/** Counts each query on the way in and its rcode and latency on the way out. */
public final class MetricsHandler implements DnsHandler {
  private final DnsMetrics metrics;

  public MetricsHandler(DnsMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    Record question = request.question();
    metrics.request(request.transport(), question == null ? -1 : question.getType());
    CompletionStage<Message> stage = next.proceed(request);
    Message ready = ReadyStage.valueOrNull(stage);
    if (ready != null) {
      countResponse(request, ready);
      return stage;
    }
    return stage.whenComplete(
        (response, failure) -> {
          if (response != null) {
            countResponse(request, response);
          }
        });
  }

  private void countResponse(DnsRequest request, Message response) {
    metrics.response(response.getRcode(), System.nanoTime() - request.receivedNanos());
  }
}
