package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The web server's meters. In Prometheus:
 *
 * <pre>
 *   web_requests_total{host,status,protocol}       requests answered
 *   web_response_bytes_total{host}                 body bytes sent (before gzip)
 *   web_request_duration_seconds{host,protocol}    request received to response written
 *   web_rejected_total{reason}                     requests refused for safety (traversal, limits, timeouts)
 * </pre>
 *
 * A Host header is whatever a client typed, so it becomes a tag only when it names a lab site;
 * every other value is "other", which keeps the number of series bounded.
 */
final class WebMetrics {
  static final String OTHER_HOST = "other";

  private final MeterRegistry registry;
  private final SiteCatalog sites;
  private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> bytes = new ConcurrentHashMap<>();
  private final Map<DurationKey, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejections = new ConcurrentHashMap<>();

  private record RequestKey(String host, int status, String protocol) {}

  private record DurationKey(String host, String protocol) {}

  WebMetrics(MeterRegistry registry, SiteCatalog sites) {
    this.registry = requireNonNull(registry, "registry");
    this.sites = requireNonNull(sites, "sites");
  }

  String hostTag(String host) {
    return sites.knows(host) ? host : OTHER_HOST;
  }

  void answered(String host, int status, String protocol, long bodyBytes, long durationNanos) {
    AnswerMeters meters = lastAnswered;
    if (meters == null || !meters.answers(host, status, protocol)) {
      meters = answerMeters(host, status, protocol);
      lastAnswered = meters;
    }
    meters.requests().increment();
    meters.bytes().increment(bodyBytes);
    meters.duration().record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The meters of an answer's site, status and protocol, remembered for the next answer: under
   * load one kind of answer follows another (the same file, 200, HTTP/1.1), and remembering saves
   * each of them three map look-ups, their keys and the protocol's lower-casing. {@code host} is
   * the request's own (not its tag): the catalog is fixed, so the same host always has the same tag.
   */
  private record AnswerMeters(String host, int status, String protocol, Counter requests, Counter bytes, Timer duration) {
    boolean answers(String otherHost, int otherStatus, String otherProtocol) {
      return status == otherStatus && protocol.equals(otherProtocol) && Objects.equals(host, otherHost);
    }
  }

  /** Read and replaced by every event loop: whole records only, so a reader sees one answer's meters. */
  private volatile AnswerMeters lastAnswered;

  private AnswerMeters answerMeters(String host, int status, String protocol) {
    String tag = hostTag(host);
    String protocolTag = protocol.toLowerCase(java.util.Locale.ROOT);
    Counter answered =
        requests.computeIfAbsent(
            new RequestKey(tag, status, protocolTag),
            key ->
                Counter.builder("web.requests")
                    .description("HTTP requests answered, by site, status code and protocol")
                    .tag("host", key.host())
                    .tag("status", Integer.toString(key.status()))
                    .tag("protocol", key.protocol())
                    .register(registry));
    Counter sent =
        bytes.computeIfAbsent(
            tag,
            key ->
                Counter.builder("web.response.bytes")
                    .description("Response body bytes, before content coding")
                    .baseUnit("bytes")
                    .tag("host", key)
                    .register(registry));
    Timer took =
        durations.computeIfAbsent(
            new DurationKey(tag, protocolTag),
            key ->
                Timer.builder("web.request.duration")
                    .description("From the whole request received to the response written")
                    .tag("host", key.host())
                    .tag("protocol", key.protocol())
                    .register(registry));
    return new AnswerMeters(host, status, protocol, answered, sent, took);
  }

  void rejected(String reason) {
    rejections
        .computeIfAbsent(
            reason,
            key ->
                Counter.builder("web.rejected")
                    .description("Requests refused for safety: path traversal, size limits, timeouts")
                    .tag("reason", key)
                    .register(registry))
        .increment();
  }
}
