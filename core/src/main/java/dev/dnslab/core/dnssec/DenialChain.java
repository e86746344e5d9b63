package dev.dnslab.core.dnssec;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.utils.base32;

/**
 * The authenticated-denial chain of a signed zone: its NSEC or NSEC3 records, linked in order and
 * closed into a ring, and the two questions an answer with DO needs: which record matches a name,
 * and which one covers (proves the absence of) a name. dnsjava has the records but no chain
 * builder; this is the lab's one.
 */
public sealed interface DenialChain {
  /** The chain's records in chain order (NSEC: canonical name order; NSEC3: hash order). */
  List<Record> records();

  /** The chain record whose owner stands for {@code name} itself, or null. */
  Record matching(Name name);

  /**
   * The chain record that covers {@code name}: its owner sorts before the name (or its hash) and
   * its next field after it, wrapping at the end (RFC 4034 4.1.1, RFC 5155 3.1.7). Null when the
   * name has a record of its own.
   */
  Record covering(Name name);

  /**
   * RFC 4034 4: one NSEC per name that owns authoritative data (the apex, names in the zone, and
   * delegation points; never glue below a cut, RFC 4035 2.3), sorted in canonical order (RFC 4034
   * 6.1), each pointing at the next and the last back at the apex.
   */
  record NsecChain(NavigableMap<Name, NSECRecord> ring) implements DenialChain {
    public NsecChain {
      ring = Collections.unmodifiableNavigableMap(new TreeMap<>(ring));
    }

    /**
     * Links {@code typesByName} (owner name to the complete type bitmap, NSEC and RRSIG included)
     * into a ring.
     */
    public static NsecChain build(SortedMap<Name, Set<Integer>> typesByName, long ttl) {
      List<Name> names = new ArrayList<>(typesByName.keySet());
      NavigableMap<Name, NSECRecord> ring = new TreeMap<>();
      for (int i = 0; i < names.size(); i++) {
        Name owner = names.get(i);
        Name next = names.get((i + 1) % names.size());
        ring.put(owner, new NSECRecord(owner, DClass.IN, ttl, next, toArray(typesByName.get(owner))));
      }
      return new NsecChain(ring);
    }

    @Override
    public List<Record> records() {
      return List.copyOf(ring.values());
    }

    @Override
    public Record matching(Name name) {
      return ring.get(name);
    }

    @Override
    public Record covering(Name name) {
      return ring.containsKey(name) ? null : predecessor(ring, name);
    }
  }

  /**
   * RFC 5155 7.1: one NSEC3 per original owner name, including every empty non-terminal and, unless
   * the zone opts out, every delegation; the owner is the base32hex hash of the name under the
   * apex, and the chain runs in hash order.
   *
   * @param parameters the NSEC3PARAM record at the apex (RFC 5155 4), whose hash parameters every
   *     record of the chain uses
   */
  record Nsec3Chain(NSEC3PARAMRecord parameters, NavigableMap<Name, NSEC3Record> ring) implements DenialChain {
    private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

    public Nsec3Chain {
      ring = Collections.unmodifiableNavigableMap(new TreeMap<>(ring));
    }

    /**
     * Hashes and links {@code typesByName} (original owner name to its complete type bitmap: RRSIG
     * only where the name has signed data, nothing for an empty non-terminal; RFC 5155 3.2.1).
     */
    public static Nsec3Chain build(NSEC3PARAMRecord parameters, SortedMap<Name, Set<Integer>> typesByName, boolean optOut) {
      Name origin = parameters.getName();
      long ttl = parameters.getTTL();
      // Sorting the owners sorts the hashes: base32hex keeps byte order (RFC 4648 7), and a
      // single label under one apex sorts by that label (RFC 4034 6.1).
      NavigableMap<Name, Map.Entry<byte[], Set<Integer>>> hashed = new TreeMap<>();
      for (Map.Entry<Name, Set<Integer>> entry : typesByName.entrySet()) {
        byte[] hash = hash(parameters, entry.getKey());
        if (hashed.put(ownerOf(origin, hash), Map.entry(hash, entry.getValue())) != null) {
          throw new IllegalStateException("NSEC3 hash collision in " + origin + " at " + entry.getKey());
        }
      }
      List<Name> owners = new ArrayList<>(hashed.keySet());
      int flags = optOut ? Denial.Nsec3.OPT_OUT_FLAG : 0;
      NavigableMap<Name, NSEC3Record> ring = new TreeMap<>();
      for (int i = 0; i < owners.size(); i++) {
        Name owner = owners.get(i);
        byte[] next = hashed.get(owners.get((i + 1) % owners.size())).getKey();
        ring.put(owner, new NSEC3Record(owner, DClass.IN, ttl, Denial.Nsec3.HASH_ALGORITHM, flags,
            Denial.Nsec3.ITERATIONS, null, next, toArray(hashed.get(owner).getValue())));
      }
      return new Nsec3Chain(parameters, ring);
    }

    /**
     * The apex NSEC3PARAM record (RFC 5155 4) with RFC 9276's parameters: SHA-1, no extra
     * iterations, no salt; its flags are 0 (RFC 5155 4.1.2), opt-out lives in the NSEC3 records.
     */
    public static NSEC3PARAMRecord parametersFor(Name origin, long ttl) {
      return new NSEC3PARAMRecord(origin, DClass.IN, ttl, Denial.Nsec3.HASH_ALGORITHM, 0, Denial.Nsec3.ITERATIONS, null);
    }

    /** The owner name of the NSEC3 record that stands for {@code name} (RFC 5155 3). */
    public Name hashedOwner(Name name) {
      return ownerOf(parameters.getName(), hash(parameters, name));
    }

    @Override
    public List<Record> records() {
      return List.copyOf(ring.values());
    }

    @Override
    public Record matching(Name name) {
      return ring.get(hashedOwner(name));
    }

    @Override
    public Record covering(Name name) {
      Name owner = hashedOwner(name);
      return ring.containsKey(owner) ? null : predecessor(ring, owner);
    }

    private static byte[] hash(NSEC3PARAMRecord parameters, Name name) {
      try {
        return parameters.hashName(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JDK has no SHA-1 for NSEC3 (RFC 5155 5)", e);
      }
    }

    private static Name ownerOf(Name origin, byte[] hash) {
      try {
        return Name.fromString(BASE32HEX.toString(hash), origin);
      } catch (TextParseException e) {
        throw new IllegalStateException("a base32hex label is always a valid name", e);
      }
    }
  }

  private static <R extends Record> R predecessor(NavigableMap<Name, R> ring, Name key) {
    Map.Entry<Name, R> lower = ring.lowerEntry(key);
    return lower != null ? lower.getValue() : ring.lastEntry().getValue(); // before the first: the last wraps
  }

  private static int[] toArray(Set<Integer> types) {
    return types.stream().mapToInt(Integer::intValue).sorted().toArray();
  }
}
