package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.zone.Zone;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Signs a {@link Zone} with the lab's keys, following the lab's policy (RFC 4035 2):
 *
 * <ul>
 *   <li>the zone's keys as the DNSKEY RRset at the apex (2.1), signed by the key-signing keys;
 *   <li>for each delegation to a zone the policy signs, a DS RRset computed from that child's key
 *       in the key directory (2.4), so the chain of trust runs from the root's key to every signed
 *       name; delegations to unsigned zones get none;
 *   <li>an NSEC (2.3) or NSEC3 (RFC 5155 7.1) chain;
 *   <li>an RRSIG by the zone-signing keys over every authoritative RRset (2.2), not over the NS
 *       RRset of a delegation or glue below it, which belong to the child.
 * </ul>
 *
 * Records of the source that a signer makes (RRSIG, NSEC, NSEC3, NSEC3PARAM) are dropped and made
 * afresh. The source zone is not changed. A child's keys are made in the key directory if it has
 * none yet, whichever server gets there first: the child's server then signs with the same keys.
 * Every delegated zone is taken to be a lab zone signed by this policy (the lab is a closed world);
 * one the lab does not serve would be bogus, not insecure, unless the policy marks it unsigned.
 *
 * <pre>{@code
 * ZoneSigner signer = new ZoneSigner(KeyDirectory.inStateDir(stateDir), DnssecPolicy.readIn(zonesDir), SignatureWindow.DEFAULT);
 * SignedZone com = signer.sign(zone, Instant.now());
 * if (com.needsRenewal(Instant.now())) { ... sign again ... }
 * }</pre>
 */
public final class ZoneSigner {
  private static final Set<Integer> SIGNER_MADE = Set.of(Type.RRSIG, Type.NSEC, Type.NSEC3, Type.NSEC3PARAM);

  private final KeyDirectory keyDirectory;
  private final DnssecPolicy policy;
  private final SignatureWindow window;

  public ZoneSigner(KeyDirectory keyDirectory, DnssecPolicy policy, SignatureWindow window) {
    this.keyDirectory = requireNonNull(keyDirectory, "keyDirectory");
    this.policy = requireNonNull(policy, "policy");
    this.window = requireNonNull(window, "window");
  }

  /**
   * The lab's signer: keys in {@code stateDir/keys} (shared by every server of the lab), the policy
   * in {@code zonesDir/dnssec.yaml} (or the built-in one), the default signature window.
   */
  public static ZoneSigner forLab(Path stateDir, Path zonesDir) throws DnssecPolicyException {
    return new ZoneSigner(KeyDirectory.inStateDir(stateDir), DnssecPolicy.readIn(zonesDir), SignatureWindow.DEFAULT);
  }

  /** Where the keys are. */
  public KeyDirectory keyDirectory() {
    return keyDirectory;
  }

  public DnssecPolicy policy() {
    return policy;
  }

  /**
   * The lab root's trust anchor, making the root's keys first (once, under the key directory's lock)
   * when the lab has none yet.
   *
   * @throws IllegalStateException when the policy leaves the root unsigned: there is no anchor
   */
  public TrustAnchor rootTrustAnchor() {
    if (!(policy.forZone(Name.root) instanceof ZoneSigning.Signed signed)) {
      throw new IllegalStateException("the DNSSEC policy leaves the root unsigned: there is no anchor");
    }
    return TrustAnchor.of(keyDirectory.loadOrCreate(Name.root, signed));
  }

  /** Whether the policy signs this zone at all. */
  public boolean signs(Zone zone) {
    return policy.forZone(zone.origin()) instanceof ZoneSigning.Signed;
  }

  /**
   * Signs {@code zone} at {@code now}.
   *
   * @throws IllegalArgumentException when the policy leaves the zone unsigned
   */
  public SignedZone sign(Zone zone, Instant now) {
    if (!(policy.forZone(zone.origin()) instanceof ZoneSigning.Signed signing)) {
      throw new IllegalArgumentException("zone " + zone.origin() + " is unsigned by policy");
    }
    ZoneKeys keys = keyDirectory.loadOrCreate(zone.origin(), signing, now);
    ZoneNodes nodes = new ZoneNodes(zone);
    nodes.add(keys.dnskeys());
    for (Name cut : zone.delegations()) {
      if (policy.forZone(cut) instanceof ZoneSigning.Signed child) {
        long ttl = zone.rrset(cut, Type.NS).getTTL(); // the delegation's TTL, as registries do
        for (DSRecord ds : keyDirectory.loadOrCreate(cut, child, now).ds(ttl)) {
          nodes.add(new RRset(ds));
        }
      }
    }
    // RFC 9077 3: NSEC and NSEC3 TTLs are the lesser of the SOA TTL and its MINIMUM field.
    long denialTtl = zone.negativeTtl();
    DenialChain chain;
    if (signing.denial() instanceof Denial.Nsec3 nsec3) {
      // RFC 5155 3.2.1: the NSEC3PARAM at the apex is itself in the apex bitmap, so it comes first.
      NSEC3PARAMRecord parameters = DenialChain.Nsec3Chain.parametersFor(zone.origin(), denialTtl);
      nodes.add(new RRset(parameters));
      chain = DenialChain.Nsec3Chain.build(parameters, nsec3Bitmaps(nodes, nsec3.optOut()), nsec3.optOut());
    } else {
      chain = DenialChain.NsecChain.build(nsecBitmaps(nodes), denialTtl);
    }
    for (Record record : chain.records()) {
      nodes.add(new RRset(record));
    }
    Instant inception = window.inception(now);
    Instant expiration = window.expiration(now);
    long maxTtl = 0;
    for (Map.Entry<Name, SortedMap<Integer, RRset>> node : nodes.byName.entrySet()) {
      for (RRset set : node.getValue().values()) {
        if (nodes.isSigned(node.getKey(), set.getType())) {
          List<ZoneKey> signers = set.getType() == Type.DNSKEY ? keys.keySigningKeys() : keys.zoneSigningKeys();
          for (ZoneKey key : signers) {
            set.addRR(sign(set, key, inception, expiration));
          }
          maxTtl = Math.max(maxTtl, set.getTTL());
        }
      }
    }
    Instant renewal = window.renewal(now, Duration.ofSeconds(maxTtl));
    return new SignedZone(zone, keys, signing, nodes.byName, chain, inception, expiration, renewal);
  }

  /**
   * Whether {@code signed} no longer matches the keys on disk at {@code now}: its own (new keys, or
   * a rollover that moved on, RFC 7583) or the DS of a signed child (whose KSK rolls). The renewal
   * check signs such a zone again, so a roll advances in a running lab without a reload.
   */
  public boolean keysChanged(SignedZone signed, Instant now) {
    if (!(policy.forZone(signed.origin()) instanceof ZoneSigning.Signed signing)) {
      return false;
    }
    if (!keyDirectory.loadOrCreate(signed.origin(), signing, now).servesAs(signed.keys())) {
      return true;
    }
    Zone zone = signed.source();
    for (Name cut : zone.delegations()) {
      if (policy.forZone(cut) instanceof ZoneSigning.Signed child) {
        long ttl = zone.rrset(cut, Type.NS).getTTL();
        RRset published = signed.servedZone().rrset(cut, Type.DS);
        Set<Record> served = published == null ? Set.of() : Set.copyOf(published.rrs(false));
        if (!served.equals(Set.copyOf(keyDirectory.loadOrCreate(cut, child, now).ds(ttl)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static RRSIGRecord sign(RRset set, ZoneKey key, Instant inception, Instant expiration) {
    try {
      return DNSSEC.sign(set, key.dnskey(), key.privateKey(), inception, expiration);
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot sign " + set.getName() + "/" + Type.string(set.getType())
          + " with " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * RFC 4035 2.3: an NSEC at every authoritative name and delegation point, listing the types
   * there plus NSEC and RRSIG (the NSEC itself is signed); at a delegation only NS and DS count.
   */
  private static SortedMap<Name, Set<Integer>> nsecBitmaps(ZoneNodes nodes) {
    SortedMap<Name, Set<Integer>> bitmaps = new TreeMap<>();
    for (Name name : nodes.byName.keySet()) {
      if (!nodes.isBelowCut(name)) {
        Set<Integer> types = nodes.authoritativeTypes(name);
        types.add(Type.NSEC);
        types.add(Type.RRSIG);
        bitmaps.put(name, types);
      }
    }
    return bitmaps;
  }

  /**
   * RFC 5155 7.1: an NSEC3 for every authoritative name, delegation point (unless opted out:
   * delegations without DS, RFC 5155 6) and empty non-terminal (whose bitmap is empty, RFC 5155
   * 3.2.1). RRSIG is listed only where the original name has signed data, so not at an unsigned
   * delegation.
   */
  private static SortedMap<Name, Set<Integer>> nsec3Bitmaps(ZoneNodes nodes, boolean optOut) {
    SortedMap<Name, Set<Integer>> bitmaps = new TreeMap<>();
    Name origin = nodes.origin;
    for (Name name : nodes.byName.keySet()) {
      if (nodes.isBelowCut(name)) {
        continue;
      }
      Name ancestor = name;
      while (!ancestor.equals(origin)) {
        ancestor = parent(ancestor);
        if (!nodes.byName.containsKey(ancestor)) {
          bitmaps.put(ancestor, new TreeSet<>()); // empty non-terminal
        }
      }
      boolean insecureCut = nodes.isCut(name) && nodes.rrset(name, Type.DS) == null;
      if (insecureCut && optOut) {
        continue;
      }
      Set<Integer> types = nodes.authoritativeTypes(name);
      if (!insecureCut) {
        types.add(Type.RRSIG);
      }
      bitmaps.put(name, types);
    }
    return bitmaps;
  }

  private static Name parent(Name name) {
    return new Name(name, 1);
  }

  /** The zone's RRsets by owner in canonical order, with the cut rules of RFC 4035 2.2. */
  private static final class ZoneNodes {
    final Name origin;
    final Set<Name> cuts;
    final NavigableMap<Name, SortedMap<Integer, RRset>> byName = new TreeMap<>();

    ZoneNodes(Zone zone) {
      this.origin = zone.origin();
      this.cuts = zone.delegations();
      for (Record record : zone.records()) {
        if (!SIGNER_MADE.contains(record.getType())) {
          byName.computeIfAbsent(record.getName(), n -> new TreeMap<>())
              .computeIfAbsent(record.getType(), t -> new RRset())
              .addRR(record);
        }
      }
    }

    void add(RRset set) {
      RRset target = byName.computeIfAbsent(set.getName(), n -> new TreeMap<>())
          .computeIfAbsent(set.getType(), t -> new RRset());
      set.rrs(false).forEach(target::addRR);
    }

    RRset rrset(Name name, int type) {
      SortedMap<Integer, RRset> types = byName.get(name);
      return types == null ? null : types.get(type);
    }

    boolean isCut(Name name) {
      return cuts.contains(name);
    }

    /**
     * Glue and anything else under a delegation: the child's data, not ours (RFC 4035 2.2). Names
     * below a DNAME's owner are occluded the same way (RFC 6672 2.4: the DNAME redirects them, so
     * they get no signature and no place in the denial chain); the zone loader refuses them, but a
     * zone built in memory may still hold some.
     */
    boolean isBelowCut(Name name) {
      for (Name n = name; !n.equals(origin); ) {
        n = parent(n);
        if (cuts.contains(n) || rrset(n, Type.DNAME) != null) {
          return true;
        }
      }
      return false;
    }

    /** The types at {@code name} this zone is authoritative for: at a cut, only NS and DS. */
    Set<Integer> authoritativeTypes(Name name) {
      Set<Integer> types = new TreeSet<>(byName.getOrDefault(name, new TreeMap<>()).keySet());
      if (isCut(name)) {
        types.retainAll(Set.of(Type.NS, Type.DS));
      }
      return types;
    }

    /**
     * RFC 4035 2.2: every authoritative RRset is signed; at a cut the parent owns only the DS and
     * NSEC RRsets (2.3, 2.4), and the NS RRset there belongs to the child and stays unsigned.
     */
    boolean isSigned(Name name, int type) {
      if (isBelowCut(name)) {
        return false;
      }
      return !isCut(name) || type == Type.DS || type == Type.NSEC;
    }
  }
}
