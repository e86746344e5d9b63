package dev.dnslab.web;

import dev.dnslab.core.tls.BuiltOnFirstUse;
import dev.dnslab.core.tls.IssuedCertificate;
import dev.dnslab.core.tls.LabCertificateAuthority;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.net.InetAddress;
import java.util.List;
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
 * need not hold. The lab CA that issues them is read then too, if the server has not needed it
 * before. Issued then, each is valid from an hour before that connection for 90 days.
 */
final class SiteCertificates {
  private SiteCertificates() {}

  static Mapping<String, SslContext> issueOnFirstUse(
      Supplier<LabCertificateAuthority> ca, SiteCatalog sites, List<InetAddress> addresses) {
    List<String> names = sites.allNames();
    List<InetAddress> certificateAddresses = List.copyOf(addresses);
    // The default certificate carries every name, so this checks each site's own one too.
    LabCertificateAuthority.checkIssuable(names, certificateAddresses);
    BuiltOnFirstUse<Mapping<String, SslContext>> contexts =
        new BuiltOnFirstUse<>(() -> issue(ca.get(), names, certificateAddresses));
    return name -> contexts.get().map(name);
  }

  private static Mapping<String, SslContext> issue(LabCertificateAuthority ca, List<String> names, List<InetAddress> addresses) {
    DomainWildcardMappingBuilder<SslContext> mapping =
        new DomainWildcardMappingBuilder<>(names.size() + 1, serverContext(ca.issue(names, addresses)));
    for (String name : names) {
      mapping.add(name, serverContext(ca.issue(List.of(name), addresses)));
    }
    return mapping.build();
  }

  private static SslContext serverContext(IssuedCertificate certificate) {
    return certificate.serverContext(IssuedCertificate.HTTP_ALPN);
  }
}
