package dev.dnslab.web;

import dev.dnslab.core.tls.IssuedCertificate;
import dev.dnslab.core.tls.LabCertificateAuthority;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.net.InetAddress;
import java.util.List;

/**
 * One certificate per site name, so the browser's certificate viewer shows www.naver.com for
 * www.naver.com, plus a default one naming every site and the server's addresses for clients that
 * send no SNI (e.g. https://127.53.0.80/, RFC 6066 3 forbids IP literals in SNI).
 */
final class SiteCertificates {
  private SiteCertificates() {}

  static Mapping<String, SslContext> issue(
      LabCertificateAuthority ca, SiteCatalog sites, List<InetAddress> addresses) {
    List<String> names = sites.allNames();
    SslContext fallback = ca.issue(names, addresses).serverContext(IssuedCertificate.HTTP_ALPN);
    DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(names.size() + 1, fallback);
    for (String name : names) {
      mapping.add(name, ca.issue(List.of(name), addresses).serverContext(IssuedCertificate.HTTP_ALPN));
    }
    return mapping.build();
  }
}
