package dev.dnslab.core.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * A server certificate signed by the lab CA: the private key and the chain (leaf first, then the
 * CA), ready to become a Netty server {@link SslContext}.
 *
 * <pre>{@code
 * IssuedCertificate cert = ca.issue(List.of("www.google.com"), List.of(labAddress));
 * SslContext https = cert.serverContext(IssuedCertificate.HTTP_ALPN);   // h2 and http/1.1
 * SslContext dot = cert.serverContext(List.of());                      // DNS over TLS: no ALPN
 * }</pre>
 */
public record IssuedCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
  /** What a browser is offered on an HTTPS port: HTTP/2 first, HTTP/1.1 as the fallback. */
  public static final List<String> HTTP_ALPN =
      List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

  public IssuedCertificate {
    requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(requireNonNull(chain, "chain"));
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: empty (expected: leaf certificate first)");
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /**
   * A server context offering {@code alpnProtocols} in order of preference (RFC 7301); an empty
   * list means no ALPN at all. When h2 is offered, ciphers are limited to those RFC 7540 9.2.2
   * allows, or clients such as curl and browsers refuse the connection (INADEQUATE_SECURITY).
   */
  public SslContext serverContext(List<String> alpnProtocols) {
    requireNonNull(alpnProtocols, "alpnProtocols");
    // Before the first server context: kdig's IPv6 SNI must not end the handshake. Here, not when
    // a certificate is issued: finding out which provider Netty picks loads BoringSSL and builds a
    // JDK SSLContext (Netty's SslUtils), ~18 MiB resident that a role whose TLS contexts wait for
    // their first connection (BuiltOnFirstUse) need not hold before it.
    ServerNameIndication.ignoredByJdkServers();
    // Netty hands the key to its key manager through a KeyStore it builds in memory and drops. The
    // JDK's default type, PKCS12, encrypts the key on the way in and decrypts it on the way out, with
    // PBKDF2 of 10,000 HMAC-SHA256 rounds each: for a web server's six contexts enough rounds that
    // C2 compiled PBKDF2KeyImpl.deriveKey at its first HTTPS connection, with 26-30 MiB of compiler
    // arena, the biggest single compilation of bench/web/run.sh (2026-12-06, NMT and Compiler.queue
    // sampled every 150 ms, three runs). A JKS store only obfuscates (a SHA-1 stream): no rounds, and
    // nothing to protect in a store that never leaves this method. bench/web/run.sh (ROUNDS=2 SECS=3,
    // three alternated pairs): peak RSS after h2 126/124/120 -> 118/118/119 MiB; CPU per request
    // and the ratios to nginx within the runs' spread.
    SslContextBuilder builder =
        SslContextBuilder.forServer(privateKey, chain.toArray(X509Certificate[]::new)).keyStoreType("JKS");
    // No client certificates are asked for (ClientAuth.NONE), so none need trusting. Without a trust
    // collection Netty builds the JDK's default trust manager for each context, parses its ~140 CA
    // certificates and hands them to BoringSSL as acceptable issuers. Live heap a web server's first
    // HTTPS connection adds (GC.class_histogram before and after): 2.2 MiB with them, 1.0 without.
    // With the JKS store above, bench/web/run.sh PARTS="h2 tls" ROUNDS=2 SECS=3, three alternated
    // pairs: peak RSS after new TLS connections 128/122/132 -> 121/125/121 MiB, after h2
    // 125/115/121 -> 112/109/120; CPU per request within the runs' spread (a busy machine).
    builder.trustManager(new X509Certificate[0]);
    if (!alpnProtocols.isEmpty()) {
      if (alpnProtocols.contains(ApplicationProtocolNames.HTTP_2)) {
        builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
      }
      builder.applicationProtocolConfig(
          new ApplicationProtocolConfig(
              Protocol.ALPN,
              // NO_ADVERTISE and ACCEPT are the only modes both the JDK and OpenSSL providers support.
              SelectorFailureBehavior.NO_ADVERTISE,
              SelectedListenerFailureBehavior.ACCEPT,
              alpnProtocols));
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build a TLS server context: " + e.getMessage(), e);
    }
  }

  /** The chain as PEM, leaf first: what nginx calls {@code ssl_certificate}. */
  public String chainPem() {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : chain) {
      pem.append(PemFiles.toPem(certificate));
    }
    return pem.toString();
  }

  /** The private key as PKCS#8 PEM. */
  public String privateKeyPem() {
    return PemFiles.toPem(privateKey);
  }

  @Override
  public String toString() {
    return "IssuedCertificate[" + leaf().getSubjectX500Principal().getName() + "]";
  }
}
