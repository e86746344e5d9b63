package dev.dnslab.web;

import java.time.Duration;

/**
 * How much a client may send and how long it may take. Each limit turns an abuse (a huge header, a
 * never-ending body, a connection held open a byte at a time) into a clear status code or a close.
 *
 * @param maxRequestLineBytes longer request lines get 414 URI Too Long (RFC 9112 3)
 * @param maxHeaderBytes larger header sections get 431 Request Header Fields Too Large (RFC 6585 5)
 * @param maxBodyBytes larger bodies get 413 Content Too Large (RFC 9110 15.5.14)
 * @param idleTimeout a connection with no traffic for this long is closed (RFC 9112 9.8)
 * @param requestTimeout a request must arrive in full within this long of its first byte, or it gets
 *     408 Request Timeout (RFC 9110 15.5.9): this is what stops slow-client ("slowloris") attacks
 */
public record WebLimits(
    int maxRequestLineBytes, int maxHeaderBytes, int maxBodyBytes, Duration idleTimeout, Duration requestTimeout) {

  /** nginx's large_client_header_buffers is 8k; browsers never come near it. */
  public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8 * 1024;

  /** Generous for cookies-heavy browsers, small enough that a flood costs little memory. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

  /** The lab only echoes bodies back; 1 MiB is nginx's client_max_body_size default. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /** Browsers keep idle connections about this long (Chromium: 5 min, nginx keepalive_timeout 75 s). */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);

  /** nginx's client_header_timeout and client_body_timeout are 60 s each; a lab client is local. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  public static final WebLimits DEFAULTS =
      new WebLimits(
          DEFAULT_MAX_REQUEST_LINE_BYTES,
          DEFAULT_MAX_HEADER_BYTES,
          DEFAULT_MAX_BODY_BYTES,
          DEFAULT_IDLE_TIMEOUT,
          DEFAULT_REQUEST_TIMEOUT);

  public WebLimits {
    positive("maxRequestLineBytes", maxRequestLineBytes);
    positive("maxHeaderBytes", maxHeaderBytes);
    positive("maxBodyBytes", maxBodyBytes);
    positive("idleTimeout", idleTimeout);
    positive("requestTimeout", requestTimeout);
  }

  public WebLimits withRequestTimeout(Duration timeout) {
    return new WebLimits(maxRequestLineBytes, maxHeaderBytes, maxBodyBytes, idleTimeout, timeout);
  }

  public WebLimits withIdleTimeout(Duration timeout) {
    return new WebLimits(maxRequestLineBytes, maxHeaderBytes, maxBodyBytes, timeout, requestTimeout);
  }

  public WebLimits withMaxBodyBytes(int bytes) {
    return new WebLimits(maxRequestLineBytes, maxHeaderBytes, bytes, idleTimeout, requestTimeout);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
