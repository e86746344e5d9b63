package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.zone.Zone;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A zone as its signer left it: the source zone's records plus the DNSKEY RRset at the apex, DS
 * RRsets at the delegations to signed children, the NSEC or NSEC3 chain (and NSEC3PARAM), and an
 * RRSIG over every authoritative RRset, each RRset carrying its signatures ({@link RRset#sigs()}).
 * Immutable once built; a new signing run makes a new one.
 */
public final class SignedZone {
  private final Zone source;
  private final ZoneKeys keys;
  private final ZoneSigning.Signed policy;
  private final NavigableMap<Name, SortedMap<Integer, RRset>> nodes;
  private final DenialChain chain;
  private final Instant inception;
  private final Instant expiration;
  private final Instant renewal;
  private final Zone served;

  SignedZone(Zone source, ZoneKeys keys, ZoneSigning.Signed policy,
      NavigableMap<Name, SortedMap<Integer, RRset>> nodes, DenialChain chain,
      Instant inception, Instant expiration, Instant renewal) {
    this.source = requireNonNull(source, "source");
    this.keys = requireNonNull(keys, "keys");
    this.policy = requireNonNull(policy, "policy");
    NavigableMap<Name, SortedMap<Integer, RRset>> frozen = new TreeMap<>();
    nodes.forEach((name, types) -> frozen.put(name, Collections.unmodifiableSortedMap(types)));
    this.nodes = Collections.unmodifiableNavigableMap(frozen);
    this.chain = requireNonNull(chain, "chain");
    this.inception = inception;
    this.expiration = expiration;
    this.renewal = renewal;
    this.served = Zone.of(source.origin(), source.source(), servedRecords(this.nodes, false), servedRecords(this.nodes, true));
  }

  /**
   * The zone a server answers from: the source's records plus DNSKEY, DS, NSEC and NSEC3PARAM, each
   * RRset with its RRSIGs. NSEC3 records are left out: they are not part of the zone's name space
   * and a query for their owner names is answered as if they did not exist (RFC 5155 7.2.8); the
   * denial proofs take them from {@link #chain()}. A zone transfer still carries them.
   */
  public Zone servedZone() {
    return served;
  }

  /** The records and signatures of every RRset, either the NSEC3 chain or everything else. */
  private static List<Record> servedRecords(NavigableMap<Name, SortedMap<Integer, RRset>> nodes, boolean nsec3) {
    List<Record> records = new ArrayList<>();
    for (Map<Integer, RRset> types : nodes.values()) {
      for (RRset set : types.values()) {
        if ((set.getType() == Type.NSEC3) == nsec3) {
          records.addAll(set.rrs(false));
          records.addAll(set.sigs());
        }
      }
    }
    return records;
  }

  public Name origin() {
    return source.origin();
  }

  /** The unsigned zone this was signed from. */
  public Zone source() {
    return source;
  }

  public ZoneKeys keys() {
    return keys;
  }

  public ZoneSigning.Signed policy() {
    return policy;
  }

  public DenialChain chain() {
    return chain;
  }

  /** The exact RRset at {@code name} with its signatures, or null. */
  public RRset rrset(Name name, int type) {
    SortedMap<Integer, RRset> types = nodes.get(name);
    return types == null ? null : types.get(type);
  }

  /** Every owner name (including NSEC3 owners) in canonical order (RFC 4034 6.1). */
  public NavigableMap<Name, SortedMap<Integer, RRset>> nodes() {
    return nodes;
  }

  /**
   * Every record, RRSIGs included, in canonical order: by owner, then type, each RRset followed
   * by its signatures (the order {@code ldns-signzone} and {@code dnssec-signzone} write).
   */
  public List<Record> records() {
    List<Record> records = new ArrayList<>();
    for (Map<Integer, RRset> types : nodes.values()) {
      for (RRset set : types.values()) {
        records.addAll(set.rrs(false));
        records.addAll(set.sigs());
      }
    }
    return records;
  }

  /** How many RRSIG records this run made. */
  public int signatureCount() {
    int count = 0;
    for (Map<Integer, RRset> types : nodes.values()) {
      for (RRset set : types.values()) {
        count += set.sigSize();
      }
    }
    return count;
  }

  public Instant inception() {
    return inception;
  }

  /** When the signatures stop being valid; all of one run share it. */
  public Instant expiration() {
    return expiration;
  }

  /** When the zone must be signed again to stay valid in every cache. */
  public Instant renewal() {
    return renewal;
  }

  /** Whether re-signing is due at {@code now}. */
  public boolean needsRenewal(Instant now) {
    return !now.isBefore(renewal);
  }

  @Override
  public String toString() {
    return "signed zone " + origin() + " serial " + source.serial() + " (" + keys + ", "
        + signatureCount() + " signatures until " + expiration + ")";
  }
}
