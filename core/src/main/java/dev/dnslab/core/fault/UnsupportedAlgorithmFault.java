package dev.dnslab.core.fault;

import dev.dnslab.core.dnssec.DnssecAlgorithm;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.KeyRole;
import dev.dnslab.core.dnssec.ZoneKey;
import dev.dnslab.core.dnssec.ZoneKeys;
import dev.dnslab.core.server.DnsRequest;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Serves {@code zone} as if it were signed only with {@code algorithm}, one the
 * validators do not implement (by default RSAMD5, 1, which RFC 8624 3.1 says MUST NOT be validated):
 * in the parent, its DS RRset becomes the DS of a key of that algorithm (signed by the parent's
 * real keys); in the zone itself, the DNSKEY RRset becomes that key and every RRSIG is made by it.
 * Install it in both servers. RFC 4035 5.2: a DS RRset listing no supported algorithm leaves the
 * resolver no authentication path, and it must treat the zone as insecure: the answer comes back,
 * without AD.
 *
 * <p>The key is part of the lab's key state: made once, under the key folder's lock, and stored
 * beside the zone's own keys ({@code <state-dir>/keys/<zone>/unsupported-alg<N>.key}), so the
 * parent's and the child's servers agree on it whether they share one JVM ({@code dnslab up},
 * {@code @DnsLab}) or run as separate processes sharing the state folder (the compose containers).
 * Its server makes or reads it when it starts ({@link #arm}), so the first query it affects
 * waits for nothing; failing that (the zone has no keys yet), on the fault-key thread when a
 * query needs it.
 */
public final class UnsupportedAlgorithmFault extends DnssecFault {
  private static final Set<Integer> RSA_FAMILY = Set.of(
      DNSSEC.Algorithm.RSAMD5, DNSSEC.Algorithm.RSASHA1, DNSSEC.Algorithm.RSA_NSEC3_SHA1,
      DNSSEC.Algorithm.RSASHA256, DNSSEC.Algorithm.RSASHA512);
  private static final Logger log = LoggerFactory.getLogger(UnsupportedAlgorithmFault.class);

  /** Read from the key folder once per zone and fault: the key never changes while a lab runs. */
  private final FaultKeys<Name, ZoneKey> loaded = new FaultKeys<>();

  private final int algorithm;
  private final Set<Name> zones;

  public UnsupportedAlgorithmFault(QueryMatch match, Name zone, int algorithm, FaultListener listener, KeyDirectory keys) {
    super("unsupported-algorithm", match, listener, keys);
    if (!RSA_FAMILY.contains(algorithm) && DnssecAlgorithm.ofNumber(algorithm).isEmpty()) {
      throw new IllegalArgumentException("algorithm: " + algorithm
          + " (expected: one dnsjava can sign with: 1, 5, 7, 8, 10, 13 or 15)");
    }
    this.algorithm = algorithm;
    this.zones = Set.of(zone);
  }

  /**
   * Makes the zone's key (or reads it, made by another server of the lab) now, at the server's
   * start: RSA-2048's prime search takes up to seconds in a cold JVM. A zone whose own keys are
   * not made yet (the lab unsigned, or its parent's server not started) gets it at the first
   * query that needs it instead.
   */
  @Override
  public void arm() {
    for (Name zone : zones) {
      if (!Files.isDirectory(keyDirectory().zoneFolder(zone))) {
        continue; // no keys yet, and none to make for an unsigned lab: the first query that needs it
      }
      try {
        start(zone).join();
      } catch (CompletionException e) {
        log.debug("the {} key of {} is made when a query needs it: {}", name(), zone, e.getCause().toString());
      }
    }
  }

  /** For each RRset {@link #changed} replaces: the fault's key, and for a DS the keys of its signer. */
  @Override
  protected List<CompletableFuture<?>> prepare(Message response) {
    List<CompletableFuture<?>> needed = new ArrayList<>();
    for (int section : RRSET_SECTIONS) {
      for (RRset set : rrsets(response, section)) {
        if (set.rrs(false).isEmpty()) {
          continue;
        }
        if (set.getType() == Type.DS && zones.contains(set.getName())) {
          needed.add(start(set.getName()));
          set.sigs().stream().findFirst().ifPresent(sig -> needed.add(startKeysOf(sig.getSigner())));
        } else if (!set.sigs().isEmpty() && zones.contains(set.sigs().get(0).getSigner())) {
          needed.add(start(set.sigs().get(0).getSigner()));
        }
      }
    }
    return needed;
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    for (int section : RRSET_SECTIONS) {
      List<RRset> sets = new ArrayList<>();
      for (RRset set : rrsets(response, section)) {
        sets.add(changed(set));
      }
      replace(response, section, sets);
    }
  }

  private RRset changed(RRset set) {
    if (set.rrs(false).isEmpty()) {
      return set;
    }
    Name owner = set.getName();
    int type = set.getType();
    if (type == Type.DS && zones.contains(owner)) {
      DSRecord real = (DSRecord) set.first();
      return signLike(new RRset(new DSRecord(owner, DClass.IN, real.getTTL(), DNSSEC.Digest.SHA256, keyFor(owner).dnskey())), set);
    }
    boolean signedByZone = !set.sigs().isEmpty() && zones.contains(set.sigs().get(0).getSigner());
    if (!signedByZone) {
      return set;
    }
    RRSIGRecord real = set.sigs().get(0);
    ZoneKey key = keyFor(real.getSigner());
    RRset replaced = type == Type.DNSKEY ? new RRset(key.dnskey()) : unsigned(set);
    replaced.addRR(sign(replaced, key.dnskey(), key.privateKey(), real.getTimeSigned(), real.getExpire()));
    return replaced;
  }

  private CompletableFuture<ZoneKey> start(Name zone) {
    return loaded.start(zone,
        () -> keyDirectory().loadOrCreateExtraKey(zone, "unsupported-alg" + algorithm, () -> newKey(zone)));
  }

  private ZoneKey keyFor(Name zone) {
    return loaded.got(zone);
  }

  private ZoneKey newKey(Name zone) {
    KeyPair pair;
    if (RSA_FAMILY.contains(algorithm)) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        pair = generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JDK cannot make RSA keys: " + e.getMessage(), e);
      }
    } else {
      pair = DnssecAlgorithm.ofNumber(algorithm).orElseThrow().generateKeyPair();
    }
    try {
      DNSKEYRecord dnskey = new DNSKEYRecord(zone, DClass.IN, ZoneKeys.DNSKEY_TTL, KeyRole.CSK.flags(),
          DNSKEYRecord.Protocol.DNSSEC, algorithm, pair.getPublic());
      return new ZoneKey(KeyRole.CSK, dnskey, pair.getPrivate());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("dnsjava cannot encode an algorithm " + algorithm + " key: " + e.getMessage(), e);
    }
  }
}
