package dev.dnslab.recursor.dnssec;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * What a set of already verified NSEC (RFC 4035 5.4) or NSEC3 (RFC 5155 8) records proves about
 * one name of one zone: that it exists with given types, or that it does not exist (with its
 * closest encloser and what is known of the wildcard there), or nothing. The {@link Validator}
 * turns a fact into a verdict for NXDOMAIN, NODATA, wildcard and DS answers.
 *
 * <p>NSEC3 hashes come from dnsjava ({@link NSEC3Record#hashName}); each distinct name is hashed
 * once per proof and counted against the {@link WorkBudget} (CVE-2023-50868). Proofs with more
 * iterations than {@link ValidationLimits#maxNsec3Iterations()} are not computed at all (RFC 9276
 * 3.2: treated as insecure).
 */
final class DenialProof {
  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, false);
  /** RFC 5155 3.1.2.1: the Opt-Out flag. */
  private static final int OPT_OUT = 1;
  /** RFC 5155 11: SHA-1, the only NSEC3 hash algorithm defined. */
  private static final int SHA1 = 1;

  /** What the records prove. */
  sealed interface Fact {}

  /**
   * The name exists: a record at the name itself, whose type bitmap says what is there ({@code
   * record} null: an empty non-terminal proven by NSEC, RFC 4035 3.1.3.2, which has no types).
   */
  record Exists(Record record) implements Fact {
    boolean hasType(int type) {
      if (record instanceof NSECRecord nsec) {
        return nsec.hasType(type);
      }
      return record instanceof NSEC3Record nsec3 && nsec3.hasType(type);
    }

    /** NS without SOA: a delegation, seen from the parent side (RFC 6840 4.4). */
    boolean isDelegation() {
      return hasType(Type.NS) && !hasType(Type.SOA);
    }
  }

  /**
   * The name does not exist: {@code closestEncloser} does, the next closer name is covered ({@code
   * optOut}: by an NSEC3 Opt-Out span, which may hide unsigned delegations, RFC 5155 6), and the
   * wildcard at the closest encloser is proven absent ({@code wildcardAbsent}) or exists ({@code
   * wildcard}, the record at it, for wildcard NODATA).
   */
  record Absent(Name closestEncloser, boolean optOut, boolean wildcardAbsent, Record wildcard) implements Fact {}

  /** The records are of a kind we may not check: NSEC3 iterations above the limit, unknown hash. */
  record Insecure(String reason) implements Fact {}

  /** Nothing proven. */
  record Unproven(String reason) implements Fact {}

  private final Name zone;
  private final List<NSECRecord> nsecs = new ArrayList<>();
  private final List<NSEC3Record> nsec3s = new ArrayList<>();
  private final WorkBudget budget;
  private final Map<Name, byte[]> hashes = new HashMap<>();
  private String nsec3Problem;

  /**
   * @param denial NSEC and NSEC3 RRsets of {@code zone} whose signatures were verified
   */
  DenialProof(Name zone, List<RRset> denial, WorkBudget budget) {
    this.zone = zone;
    this.budget = budget;
    List<NSEC3Record> candidates = new ArrayList<>();
    for (RRset set : denial) {
      for (Record record : set.rrs(false)) {
        if (record instanceof NSECRecord nsec && nsec.getName().subdomain(zone)) {
          nsecs.add(nsec);
        } else if (record instanceof NSEC3Record nsec3 && nsec3.getName().labels() == zone.labels() + 1
            && nsec3.getName().subdomain(zone)) {
          candidates.add(nsec3); // RFC 5155 8.2: the owner is one hash label below the zone
        }
      }
    }
    if (!candidates.isEmpty()) {
      NSEC3Record first = candidates.stream().filter(r -> r.getHashAlgorithm() == SHA1).findFirst().orElse(null);
      if (first == null) {
        nsec3Problem = "NSEC3 of " + zone + " uses unknown hash algorithm " + candidates.get(0).getHashAlgorithm()
            + " (RFC 5155 8.1)";
      } else if (first.getIterations() > budget.limits().maxNsec3Iterations()) {
        nsec3Problem = "NSEC3 of " + zone + " uses " + first.getIterations() + " iterations, above the limit of "
            + budget.limits().maxNsec3Iterations() + " (RFC 9276 3.2: treated as insecure)";
      } else {
        // RFC 5155 8.2: records with other parameters than the first are ignored.
        candidates.stream().filter(r -> r.getHashAlgorithm() == SHA1 && r.getIterations() == first.getIterations()
            && Arrays.equals(r.getSalt(), first.getSalt())).forEach(nsec3s::add);
      }
    }
  }

  boolean isEmpty() {
    return nsecs.isEmpty() && nsec3s.isEmpty() && nsec3Problem == null;
  }

  /** What is proven about {@code name}. */
  Fact about(Name name) {
    if (!nsecs.isEmpty()) {
      return nsecFact(name);
    }
    if (nsec3Problem != null) {
      return new Insecure(nsec3Problem);
    }
    if (!nsec3s.isEmpty()) {
      return nsec3Fact(name);
    }
    return new Unproven("no NSEC or NSEC3 record of " + zone);
  }

  /**
   * Whether the records prove that {@code name} does not exist (RFC 4035 5.3.4, RFC 5155 8.8: the
   * next closer name of a wildcard expansion): {@link Absent} with only {@code optOut} meaningful,
   * or why not.
   */
  Fact covering(Name name) {
    if (!nsecs.isEmpty()) {
      return nsecs.stream().anyMatch(nsec -> covers(nsec, name))
          ? new Absent(null, false, false, null)
          : new Unproven("no NSEC of " + zone + " covers " + name);
    }
    if (nsec3Problem != null) {
      return new Insecure(nsec3Problem);
    }
    if (nsec3s.isEmpty()) {
      return new Unproven("no NSEC or NSEC3 record of " + zone + " covers " + name);
    }
    NSEC3Record cover = nsec3Covering(name);
    return cover == null
        ? new Unproven("no NSEC3 of " + zone + " covers " + name)
        : new Absent(null, (cover.getFlags() & OPT_OUT) != 0, false, null);
  }

  private Fact nsecFact(Name name) {
    for (NSECRecord nsec : nsecs) {
      if (nsec.getName().equals(name)) {
        return new Exists(nsec);
      }
    }
    NSECRecord covering = null;
    for (NSECRecord nsec : nsecs) {
      if (covers(nsec, name)) {
        // RFC 4035 3.1.3.2: a name between owner and next, with next below it, is an empty non-terminal.
        if (nsec.getNext().subdomain(name) && !nsec.getNext().equals(name)) {
          return new Exists(null);
        }
        // RFC 6840 4.1: an NSEC of a delegation or DNAME above the name proves nothing below it.
        boolean ancestor = name.subdomain(nsec.getName());
        if (ancestor && (nsec.hasType(Type.NS) && !nsec.hasType(Type.SOA) || nsec.hasType(Type.DNAME))) {
          continue;
        }
        covering = nsec;
        break;
      }
    }
    if (covering == null) {
      return new Unproven("no NSEC of " + zone + " covers or matches " + name);
    }
    Name viaOwner = commonAncestor(name, covering.getName());
    Name viaNext = commonAncestor(name, covering.getNext());
    Name closestEncloser = viaOwner.labels() > viaNext.labels() ? viaOwner : viaNext;
    if (!closestEncloser.subdomain(zone)) {
      closestEncloser = zone;
    }
    Name wildcard = wildcardAt(closestEncloser);
    Record atWildcard = null;
    boolean wildcardAbsent = false;
    for (NSECRecord nsec : nsecs) {
      if (nsec.getName().equals(wildcard)) {
        atWildcard = nsec;
      } else if (covers(nsec, wildcard)) {
        wildcardAbsent = true;
      }
    }
    return new Absent(closestEncloser, false, wildcardAbsent, atWildcard);
  }

  /** RFC 5155 8.3: the closest encloser proof, then the wildcard at the closest encloser. */
  private Fact nsec3Fact(Name name) {
    NSEC3Record match = nsec3Matching(name);
    if (match != null) {
      return new Exists(match);
    }
    Name closestEncloser = null;
    NSEC3Record atEncloser = null;
    for (Name ancestor = parent(name); ancestor != null && ancestor.subdomain(zone); ancestor = parent(ancestor)) {
      atEncloser = nsec3Matching(ancestor);
      if (atEncloser != null) {
        closestEncloser = ancestor;
        break;
      }
    }
    if (closestEncloser == null) {
      return new Unproven("no NSEC3 of " + zone + " matches an ancestor of " + name + " (RFC 5155 8.3)");
    }
    if (atEncloser.hasType(Type.DNAME) || atEncloser.hasType(Type.NS) && !atEncloser.hasType(Type.SOA)) {
      return new Unproven("the closest encloser " + closestEncloser + " of " + name
          + " is a delegation or DNAME, so its NSEC3 proves nothing below it (RFC 5155 8.3)");
    }
    Name nextCloser = new Name(name, name.labels() - closestEncloser.labels() - 1);
    NSEC3Record cover = nsec3Covering(nextCloser);
    if (cover == null) {
      return new Unproven("no NSEC3 of " + zone + " covers the next closer name " + nextCloser + " (RFC 5155 8.3)");
    }
    Name wildcard = wildcardAt(closestEncloser);
    return new Absent(closestEncloser, (cover.getFlags() & OPT_OUT) != 0, nsec3Covering(wildcard) != null,
        nsec3Matching(wildcard));
  }

  private NSEC3Record nsec3Matching(Name name) {
    byte[] hash = hash(name);
    for (NSEC3Record nsec3 : nsec3s) {
      if (Arrays.equals(ownerHash(nsec3), hash)) {
        return nsec3;
      }
    }
    return null;
  }

  private NSEC3Record nsec3Covering(Name name) {
    byte[] hash = hash(name);
    for (NSEC3Record nsec3 : nsec3s) {
      byte[] owner = ownerHash(nsec3);
      byte[] next = nsec3.getNext();
      boolean wraps = Arrays.compareUnsigned(next, owner) <= 0; // RFC 5155 3.1.7: the last one points to the first
      boolean after = Arrays.compareUnsigned(owner, hash) < 0;
      boolean before = Arrays.compareUnsigned(hash, next) < 0;
      if (wraps ? after || before : after && before) {
        return nsec3;
      }
    }
    return null;
  }

  private byte[] hash(Name name) {
    byte[] known = hashes.get(name);
    if (known != null) {
      return known;
    }
    budget.nsec3Hash();
    try {
      byte[] hash = nsec3s.get(0).hashName(name);
      hashes.put(name, hash);
      return hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  private static byte[] ownerHash(NSEC3Record nsec3) {
    byte[] decoded = BASE32HEX.fromString(nsec3.getName().getLabelString(0));
    return decoded == null ? new byte[0] : decoded;
  }

  /**
   * RFC 4034 6.1 canonical order: owner &lt; name &lt; next, or, for the last NSEC of the zone
   * (next is the apex), any name after the owner.
   */
  static boolean covers(NSECRecord nsec, Name name) {
    Name owner = nsec.getName();
    Name next = nsec.getNext();
    if (owner.compareTo(name) >= 0) {
      return false;
    }
    return next.compareTo(name) > 0 || next.compareTo(owner) <= 0;
  }

  static Name commonAncestor(Name a, Name b) {
    Name ancestor = a;
    while (!b.subdomain(ancestor)) {
      ancestor = parent(ancestor);
    }
    return ancestor;
  }

  /** The parent of a name, or null for the root. */
  static Name parent(Name name) {
    return name.labels() <= 1 ? null : new Name(name, 1);
  }

  static Name wildcardAt(Name closestEncloser) {
    try {
      return Name.concatenate(Name.fromConstantString("*"), closestEncloser);
    } catch (NameTooLongException e) {
      return closestEncloser; // a 255-octet encloser has no room for a wildcard below it
    }
  }
}
