package dev.dnslab.recursor;

import io.netty.handler.ssl.SslProvider;

/**
 * The TLS provider this test JVM is meant to serve with: recursor/pom.xml runs the encrypted
 * transport tests twice, once as the fat jar runs on Linux (netty-tcnative's BoringSSL, the
 * default) and once as it runs where netty-tcnative has no native library (macOS or Windows with
 * Java, no Docker), on the JDK's TLS ({@code -Dio.netty.handler.ssl.noOpenSsl=true}, with
 * {@code -Ddnslab.test.tlsProvider=JDK} naming what that run expects).
 */
final class TlsProviderOfThisRun {
  static final String PROPERTY = "dnslab.test.tlsProvider";

  private TlsProviderOfThisRun() {}

  static SslProvider expected() {
    return SslProvider.valueOf(System.getProperty(PROPERTY, SslProvider.OPENSSL.name()));
  }
}
