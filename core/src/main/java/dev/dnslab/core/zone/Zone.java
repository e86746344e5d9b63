package dev.dnslab.core.zone;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One authoritative zone, immutable once built: its records by owner and type, the names that exist
 * only as ancestors of others (empty non-terminals), and its delegation points.
 *
 * <p>dnsjava's own {@code Zone.findRecords} is not used for answering: it reports empty
 * non-terminals as NXDOMAIN (RFC 8020 forbids that), matches wildcards past an existing closest
 * encloser and cannot say "wildcard NODATA" (RFC 4592 3.3). The lookup here follows RFC 1034 4.3.2
 * and RFC 4592 directly.
 */
public final class Zone {
  private final Name origin;
  private final Path source;
  private final SOARecord soa;
  private final Map<Name, Map<Integer, RRset>> nodes;
  private final Set<Name> existingNames;
  private final Set<Name> cuts;
  private final List<Record> records;

  Zone(Name origin, Path source, List<Record> records) {
    this(origin, source, records, List.of());
  }

  private Zone(Name origin, Path source, List<Record> records, List<Record> outsideNameSpace) {
    this.origin = requireNonNull(origin, "origin");
    this.source = source;
    List<Record> all = new ArrayList<>(records);
    all.addAll(outsideNameSpace);
    this.records = List.copyOf(all);
    Map<Name, Map<Integer, RRset>> byName = new HashMap<>();
    SOARecord apexSoa = null;
    for (Record record : records) {
      // An RRSIG joins the RRset it covers (RFC 4034 3), so a signed RRset travels with its
      // signatures and an answer can add them without a second lookup.
      byName
          .computeIfAbsent(record.getName(), n -> new LinkedHashMap<>())
          .computeIfAbsent(record.getRRsetType(), t -> new RRset())
          .addRR(record);
      if (record.getType() == Type.SOA && record.getName().equals(origin)) {
        apexSoa = (SOARecord) record;
      }
    }
    this.soa = requireNonNull(apexSoa, "SOA at " + origin);
    Map<Name, Map<Integer, RRset>> frozen = new HashMap<>();
    byName.forEach((name, types) -> frozen.put(name, Collections.unmodifiableMap(types)));
    this.nodes = Collections.unmodifiableMap(frozen);

    Set<Name> names = new HashSet<>();
    Set<Name> delegations = new HashSet<>();
    for (Name name : nodes.keySet()) {
      for (Name n = name; n.subdomain(origin); n = parent(n)) {
        if (!names.add(n) || n.equals(origin)) {
          break;
        }
      }
      if (!name.equals(origin) && nodes.get(name).containsKey(Type.NS)) {
        delegations.add(name);
      }
    }
    names.add(origin);
    this.existingNames = Collections.unmodifiableSet(names);
    this.cuts = Collections.unmodifiableSet(delegations);
  }

  /**
   * A zone built from records already checked elsewhere (a signer's output, a scenario's overlay);
   * zone files go through {@link ZoneFileLoader}. RRSIG records join the RRsets they cover.
   */
  public static Zone of(Name origin, Path source, List<Record> records) {
    return new Zone(origin, source, records);
  }

  /**
   * As {@link #of(Name, Path, List)}, plus records that belong to the zone (a transfer carries
   * them, {@link #records()} lists them) but not to its name space, so no lookup finds them: the
   * NSEC3 chain, whose hashed owner names are answered as if they did not exist (RFC 5155 7.2.8).
   */
  public static Zone of(Name origin, Path source, List<Record> records, List<Record> outsideNameSpace) {
    return new Zone(origin, source, records, outsideNameSpace);
  }

  public Name origin() {
    return origin;
  }

  /** The file this zone was read from, or null when built in memory. */
  public Path source() {
    return source;
  }

  public SOARecord soa() {
    return soa;
  }

  public long serial() {
    return soa.getSerial();
  }

  /** The apex NS RRset. */
  public RRset nameServers() {
    return nodes.get(origin).get(Type.NS);
  }

  /** How many records the zone holds. */
  public int size() {
    return records.size();
  }

  /** All records, in file order; the SOA is among them. */
  public List<Record> records() {
    return records;
  }

  /** The delegation points: names below the apex that own NS records. */
  public Set<Name> delegations() {
    return cuts;
  }

  /**
   * The negative-caching TTL for NXDOMAIN and NODATA answers from this zone: the smaller of the SOA
   * record's own TTL and its MINIMUM field (RFC 2308 3).
   */
  public long negativeTtl() {
    return Math.min(soa.getTTL(), soa.getMinimum());
  }

  /** The exact RRset at {@code name}, ignoring delegations (used for glue and AXFR), or null. */
  public RRset rrset(Name name, int type) {
    Map<Integer, RRset> types = nodes.get(name);
    return types == null ? null : types.get(type);
  }

  /** RFC 1034 4.3.2 step 3 for {@code qname}, which must be at or below the origin. */
  public ZoneLookup lookup(Name qname, int qtype) {
    if (!qname.subdomain(origin)) {
      throw new IllegalArgumentException(qname + " is not in zone " + origin);
    }
    // Step 3b: walk down from just below the apex; the first cut on the way wins. A DS query for
    // the cut itself is answered by the parent (RFC 4035 3.1.4.1), so it does not refer.
    // RFC 6672 2.3: a DNAME on the way down (the apex included) redirects every name below its
    // owner; the owner itself keeps its own data.
    int depth = qname.labels();
    for (int labels = origin.labels(); labels <= depth; labels++) {
      Name ancestor = labels == depth ? qname : new Name(qname, depth - labels);
      if (labels > origin.labels() && cuts.contains(ancestor) && !(labels == depth && qtype == Type.DS)) {
        return new ZoneLookup.Referral(nodes.get(ancestor).get(Type.NS));
      }
      RRset dname = labels < depth ? rrset(ancestor, Type.DNAME) : null;
      if (dname != null) {
        return new ZoneLookup.Dname(dname);
      }
    }
    Map<Integer, RRset> node = nodes.get(qname);
    if (node != null) {
      return matchNode(node, qtype, false);
    }
    if (existingNames.contains(qname)) {
      return new ZoneLookup.NoData(false); // an empty non-terminal exists: RFC 8020 2
    }
    // Step 3c, RFC 4592 3.3.1: only the wildcard child of the closest encloser may match.
    Name closestEncloser = closestEncloser(qname);
    Name wildcardName = wildcardOf(closestEncloser);
    Map<Integer, RRset> wildcard = wildcardName == null ? null : nodes.get(wildcardName);
    if (wildcard == null) {
      return new ZoneLookup.NxDomain();
    }
    return synthesize(matchNode(wildcard, qtype, true), qname);
  }

  /**
   * RFC 4592 3.3.1 / RFC 5155 1.3: the longest existing ancestor of {@code qname} in this zone (the
   * name itself when it exists); DNSSEC denial proofs are built around it.
   */
  public Name closestEncloser(Name qname) {
    if (!qname.subdomain(origin)) {
      throw new IllegalArgumentException(qname + " is not in zone " + origin);
    }
    Name encloser = qname;
    while (!existingNames.contains(encloser)) {
      encloser = parent(encloser);
    }
    return encloser;
  }

  /** The wildcard name {@code *.encloser}, or null when no such name fits (RFC 4592 2.1.1). */
  public static Name wildcardAt(Name encloser) {
    return wildcardOf(encloser);
  }

  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");

  private static Name wildcardOf(Name closestEncloser) {
    try {
      return Name.concatenate(WILDCARD_LABEL, closestEncloser);
    } catch (org.xbill.DNS.NameTooLongException e) {
      return null; // a 255-byte encloser has no room for "*": no wildcard can exist there
    }
  }

  private static ZoneLookup matchNode(Map<Integer, RRset> node, int qtype, boolean wildcard) {
    if (qtype == Type.ANY) {
      return new ZoneLookup.Answer(new ArrayList<>(node.values()), wildcard);
    }
    RRset exact = node.get(qtype);
    if (exact != null) {
      return new ZoneLookup.Answer(List.of(exact), wildcard);
    }
    RRset cname = node.get(Type.CNAME);
    if (cname != null) {
      return new ZoneLookup.Cname(cname, wildcard);
    }
    return new ZoneLookup.NoData(wildcard);
  }

  /**
   * RFC 4592 2.2.1: synthesised records carry the query name as owner; so do their signatures,
   * whose labels field still tells a validator they came from a wildcard (RFC 4035 5.3.4).
   */
  private static ZoneLookup synthesize(ZoneLookup match, Name qname) {
    if (match instanceof ZoneLookup.Answer answer) {
      List<RRset> renamed = new ArrayList<>();
      for (RRset set : answer.rrsets()) {
        renamed.add(rename(set, qname));
      }
      return new ZoneLookup.Answer(renamed, true);
    }
    if (match instanceof ZoneLookup.Cname cname) {
      return new ZoneLookup.Cname(rename(cname.cname(), qname), true);
    }
    return match;
  }

  private static RRset rename(RRset set, Name owner) {
    RRset renamed = new RRset();
    for (Record record : set.rrs(false)) {
      renamed.addRR(record.withName(owner));
    }
    for (Record signature : set.sigs()) {
      renamed.addRR(signature.withName(owner));
    }
    return renamed;
  }

  private static Name parent(Name name) {
    return name.labels() <= 1 ? Name.root : new Name(name, 1);
  }

  @Override
  public String toString() {
    return "zone " + origin + " serial " + serial() + " (" + records.size() + " records)";
  }
}
