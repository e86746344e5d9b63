package dev.dnslab.recursor.dnssec;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.ZoneSigner;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * One real authority server on 127.0.0.1 serving every lab zone of {@code zones/} (root, TLDs,
 * authoritative), signed by the lab policy {@code zones/dnssec.yaml} with keys in a test folder, so
 * a query with DO gets the lab's real signatures and NSEC/NSEC3 proofs.
 */
public final class SignedLabAuthority implements AutoCloseable {
  /** The real lab zones, as shipped in the repository (surefire runs in the module folder). */
  public static final Path LAB_ZONES = Path.of("..", "zones");

  private final AuthorityServer server;

  private SignedLabAuthority(AuthorityServer server) {
    this.server = server;
  }

  public static SignedLabAuthority start(Path keyDir) throws Exception {
    ZoneSigner signer = new ZoneSigner(new KeyDirectory(keyDir), DnssecPolicy.readIn(LAB_ZONES), SignatureWindow.DEFAULT);
    AuthorityConfig config = AuthorityConfig.builder("authoritative-ns")
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .admin(new InetSocketAddress("127.0.0.1", 0))
        .zoneSources(List.of(LAB_ZONES.resolve("root"), LAB_ZONES.resolve("tld"), LAB_ZONES.resolve("authoritative")))
        .dnssec(new DnssecSigning(signer, Clock.systemUTC(), Duration.ofDays(1)))
        .build();
    return new SignedLabAuthority(new AuthorityServer(config).start());
  }

  /** A UDP query with EDNS and DO, RD clear, as a validating resolver sends it (RFC 3225 3). */
  public Message queryWithDo(String name, int type) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server.dnsAddress());
    resolver.setTimeout(Duration.ofSeconds(3));
    resolver.setTCP(true); // a signed referral or proof may not fit 1232 bytes; TCP never truncates
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  /** The reply to {@code name}/{@code type} as the validator sees it. */
  public SignedAnswer signedAnswer(String name, int type) throws Exception {
    return SignedAnswer.of(queryWithDo(name, type), server.dnsAddress().getAddress().getHostAddress());
  }

  @Override
  public void close() {
    server.close();
  }
}
