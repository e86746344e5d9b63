package dev.dnslab.recursor.dnssec;

import dev.dnslab.core.authority.AuthorityHandler;
import dev.dnslab.core.authority.AuthorityZones;
import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.SigningMetrics;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.zone.ZoneRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The signed lab's root, TLD and authoritative servers without sockets: the lab's zone files and
 * {@code dnssec.yaml}, signed by core's {@link ZoneSigner}, answered by core's {@link
 * AuthorityHandler} behind each server's fault handlers, exactly as the lab servers answer a query
 * with DO set. As a {@link KeySource} it asks the server that holds the closest enclosing zone
 * (for DS, the parent's, RFC 4035 4.2), as a resolver would after following the referrals.
 */
final class SignedLabAuthorities implements KeySource {
  /** The real lab zones, as shipped in the repository. */
  static final Path LAB_ZONES = Path.of("..", "zones");
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5300);

  private static SignedLabAuthorities shared;

  private final KeyDirectory keys;
  private final Map<LabRole, AuthorityZones> zones;
  private final Map<LabRole, List<DnsHandler>> faults;
  private final AtomicInteger fetches = new AtomicInteger();

  private SignedLabAuthorities(KeyDirectory keys, Map<LabRole, AuthorityZones> zones,
      Map<LabRole, List<DnsHandler>> faults) {
    this.keys = keys;
    this.zones = zones;
    this.faults = faults;
  }

  /** The lab signed once per test run, keys in a temporary folder (RSA key generation is slow). */
  static synchronized SignedLabAuthorities shared() throws Exception {
    if (shared == null) {
      Path keyDir = Files.createTempDirectory("dnslab-validator-keys");
      keyDir.toFile().deleteOnExit();
      shared = sign(new KeyDirectory(keyDir));
    }
    return shared;
  }

  static SignedLabAuthorities sign(KeyDirectory keys) throws Exception {
    ZoneSigner signer = new ZoneSigner(keys, DnssecPolicy.readIn(LAB_ZONES), SignatureWindow.DEFAULT);
    Map<LabRole, AuthorityZones> zones = new EnumMap<>(LabRole.class);
    Map<LabRole, List<DnsHandler>> faults = new EnumMap<>(LabRole.class);
    for (LabRole role : List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE)) {
      ZoneRepository files = new ZoneRepository(List.of(LAB_ZONES.resolve(role.zoneDirectory())), new ZoneFileLoader());
      AuthorityZones served = new AuthorityZones(files, new DnssecSigning(signer, Clock.systemUTC(), Duration.ofDays(1)),
          new SigningMetrics(new SimpleMeterRegistry(), role.serviceName(), Clock.systemUTC()));
      served.reload();
      zones.put(role, served);
      faults.put(role, List.of());
    }
    return new SignedLabAuthorities(keys, zones, faults);
  }

  /** The same signed servers with {@code fault} installed in front of {@code role}'s zones. */
  SignedLabAuthorities withFault(LabRole role, DnsHandler fault) {
    Map<LabRole, List<DnsHandler>> more = new EnumMap<>(faults);
    List<DnsHandler> handlers = new ArrayList<>(more.get(role));
    handlers.add(fault);
    more.put(role, List.copyOf(handlers));
    return new SignedLabAuthorities(keys, zones, more);
  }

  KeyDirectory keyDirectory() {
    return keys;
  }

  /** The lab root's trust anchor, as {@code dnslab trust-anchor} prints it. */
  TrustAnchors anchors() {
    return TrustAnchors.of(TrustAnchor.of(keys.load(Name.root).orElseThrow()));
  }

  /** DS and DNSKEY fetches answered so far. */
  int fetches() {
    return fetches.get();
  }

  @Override
  public CompletableFuture<SignedAnswer> fetch(Name name, int type) {
    fetches.incrementAndGet();
    return ask(name, type);
  }

  /** A query with DO to the server holding the closest enclosing zone, its response as the validator sees it. */
  CompletableFuture<SignedAnswer> ask(Name name, int type) {
    LabRole server = serverFor(name, type);
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    DnsRequest request = new DnsRequest(query, Transport.UDP, CLIENT, new InetSocketAddress("127.0.0.1", 53), 65535,
        System.nanoTime());
    List<DnsHandler> chain = new ArrayList<>(faults.get(server));
    chain.add(new AuthorityHandler(zones.get(server)));
    return new HandlerChain(chain).handle(request).toCompletableFuture()
        .thenApply(response -> SignedAnswer.of(response, server.serviceName()));
  }

  private LabRole serverFor(Name name, int type) {
    // RFC 4035 4.2: the DS lives on the parent side of the cut, so ask whoever holds the parent.
    Name holder = type == Type.DS && name.labels() > 1 ? new Name(name, 1) : name;
    LabRole best = null;
    int labels = -1;
    for (Map.Entry<LabRole, AuthorityZones> entry : zones.entrySet()) {
      Zone zone = entry.getValue().current().zones().closestEnclosing(holder);
      if (zone != null && zone.origin().labels() > labels) {
        best = entry.getKey();
        labels = zone.origin().labels();
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no lab server holds " + name);
    }
    return best;
  }
}
