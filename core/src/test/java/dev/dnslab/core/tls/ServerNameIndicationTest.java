package dev.dnslab.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

/**
 * Core's tests run without netty-tcnative, so Netty's servers run on the JDK's TLS here, and the
 * JDK's servers must skip the server_name extension (RFC 6066 3) that kdig fills with an IPv6
 * literal. The recursor's tests, with BoringSSL, check that the switch then stays off.
 */
class ServerNameIndicationTest {
  @Test
  void makesJdkServersSkipServerNameWhenNettyServesWithTheJdkProvider() {
    ServerNameIndication.ignoredByJdkServers();

    assertThat(SslContext.defaultServerProvider()).isEqualTo(SslProvider.JDK);
    assertThat(System.getProperty(ServerNameIndication.DISABLE_PROPERTY)).contains(ServerNameIndication.EXTENSION);
  }
}
