package dev.dnslab.core.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;

/**
 * Makes the JDK's TLS servers skip the ClientHello's server_name extension (RFC 6066 3), so that a
 * client which puts an IPv6 literal there still gets its handshake.
 *
 * <p>RFC 6066 3 says "Literal IPv4 and IPv6 addresses are not permitted in HostName", but GnuTLS
 * clients send them: {@code kdig +tls @::1} offers the name {@code ::1}. The JDK's server parses
 * every host_name into an {@code SNIHostName}, which refuses the colons, and ends the handshake
 * with a fatal illegal_parameter alert (an IPv4 literal passes that syntax check, so only IPv6
 * clients were cut off). Nothing here needs the name: the DoT and DoH servers have one
 * certificate, and the web server picks its certificate in Netty's {@code SniHandler}, which reads
 * the name itself before the JDK sees the ClientHello. The JDK offers no per-context switch, only
 * the system property {@code jdk.tls.server.disableExtensions}, which it reads once, when its TLS
 * configuration class loads; the lab's classes set it before they build a TLS context, and keep
 * whatever else a user put in it.
 *
 * <p>Only when Netty's servers will run on the JDK's TLS: with netty-tcnative on the class path (the
 * fat jar has it, for the web server) Netty picks BoringSSL, which takes the literal, and the
 * JVM-wide switch would only take SNI away from every other JDK TLS server in the process.
 */
final class ServerNameIndication {
  static final String DISABLE_PROPERTY = "jdk.tls.server.disableExtensions";
  static final String EXTENSION = "server_name";

  private static boolean decided;

  private ServerNameIndication() {}

  /**
   * Sets the property if Netty will build JDK TLS servers, once per JVM; call before building any
   * TLS context, client or server.
   */
  static synchronized void ignoredByJdkServers() {
    if (decided) {
      return;
    }
    decided = true;
    if (SslContext.defaultServerProvider() != SslProvider.JDK) {
      return;
    }
    String disabled = System.getProperty(DISABLE_PROPERTY, "").trim();
    if (disabled.isEmpty()) {
      System.setProperty(DISABLE_PROPERTY, EXTENSION);
    } else if (!disabled.contains(EXTENSION)) {
      System.setProperty(DISABLE_PROPERTY, disabled + "," + EXTENSION);
    }
  }
}
