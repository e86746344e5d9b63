package dev.dnslab.recursor;

import dev.dnslab.core.config.Durations;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.recursor.doh.DohServer;
import java.time.Duration;

/**
 * How long a stream connection to the recursor may stay silent with none of its queries still
 * being answered before the recursor closes it (RFC 7766 6.2.3), per transport (Unbound has one
 * {@code tcp-idle-timeout} for all three). A TLS client gets the same time to finish its handshake.
 * At the connection cap the connection idle longest is closed anyway, so a long timeout never locks
 * new clients out.
 *
 * @param tcp plain DNS over TCP
 * @param dot DNS over TLS (RFC 7858)
 * @param doh DNS over HTTPS (RFC 8484), HTTP/2 and HTTP/1.1
 */
public record IdleTimeouts(Duration tcp, Duration dot, Duration doh) {
  /** TCP and DoT 10 s (RFC 7766 6.2.3 "on the order of seconds"), DoH 30 s (browsers keep one connection). */
  public static final IdleTimeouts DEFAULT = new IdleTimeouts(
      DnsServer.DEFAULT_TCP_IDLE_TIMEOUT, DnsServer.DEFAULT_TCP_IDLE_TIMEOUT, DohServer.DEFAULT_IDLE_TIMEOUT);

  public IdleTimeouts {
    Durations.requirePositive(tcp, "tcp");
    Durations.requirePositive(dot, "dot");
    Durations.requirePositive(doh, "doh");
  }
}
