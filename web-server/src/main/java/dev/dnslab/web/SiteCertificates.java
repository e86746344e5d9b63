package dev.dnslab.web;

import dev.dnslab.core.tls.BuiltOnFirstUse;
import dev.dnslab.core.tls.IssuedCertificate;
import dev.dnslab.core.tls.LabCertificateAuthority;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One certificate per site name, so the browser's certificate viewer shows www.naver.com for
 * www.naver.com, plus a default one naming every site and the server's addresses for clients that
 * send no SNI (e.g. https://127.53.0.80/, RFC 6066 3 forbids IP literals in SNI).
 *
 * <p>The names are checked at start (a site name no certificate can carry stops the server there);
 * the certificates are issued, and their TLS contexts built, at the first HTTPS connection (core's
 * {@link BuiltOnFirstUse}): one per site and the default, several MiB of resident memory and, for
 * the issuing, BouncyCastle's certificate builder, that a web server nobody has reached over HTTPS
 * need not hold. Issued then, each is valid from an hour before that connection for 90 days.
 */
final class SiteCertificates {
  private SiteCertificates() {}

  static Mapping<String, SslContext> issueOnFirstUse(
      LabCertificateAuthority ca, SiteCatalog sites, List<InetAddress> addresses) {
    List<String> names = sites.allNames();
    Supplier<IssuedCertificate> fallback = ca.issueOnFirstUse(names, addresses);
    Map<String, Supplier<IssuedCertificate>> perName = new LinkedHashMap<>();
    for (String name : names) {
      perName.put(name, ca.issueOnFirstUse(List.of(name), addresses));
    }
    BuiltOnFirstUse<Mapping<String, SslContext>> contexts = new BuiltOnFirstUse<>(() -> contexts(fallback, perName));
    return name -> contexts.get().map(name);
  }

  private static Mapping<String, SslContext> contexts(
      Supplier<IssuedCertificate> fallback, Map<String, Supplier<IssuedCertificate>> perName) {
    DomainWildcardMappingBuilder<SslContext> mapping =
        new DomainWildcardMappingBuilder<>(perName.size() + 1, fallback.get().serverContext(IssuedCertificate.HTTP_ALPN));
    perName.forEach((name, certificate) -> mapping.add(name, certificate.get().serverContext(IssuedCertificate.HTTP_ALPN)));
    return mapping.build();
  }
}
