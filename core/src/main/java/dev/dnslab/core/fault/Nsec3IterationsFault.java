package dev.dnslab.core.fault;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.server.DnsRequest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Rewrites the NSEC3 proof of a negative answer as if the zone were hashed with far more
 * iterations than RFC 9276 allows: for each name the real proof matches or covers (the closest
 * encloser, the next closer name, the wildcard), a record hashed with {@code iterations} that
 * matches or tightly covers that name, with the real record's flags and types, signed by the
 * zone's real keys. The proof is sound; only its cost is too high. RFC 9276 3.2: a validator may
 * treat such an answer as insecure (every one in the matrix does above 150 iterations), so the
 * correct outcome is the negative answer without AD; SERVFAIL is the other allowed choice.
 */
public final class Nsec3IterationsFault extends DnssecFault {
  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

  private final int iterations;

  public Nsec3IterationsFault(QueryMatch match, int iterations, FaultListener listener, KeyDirectory keys) {
    super("nsec3-iterations", match, listener, keys);
    if (iterations < 1 || iterations > 2500) {
      throw new IllegalArgumentException("iterations: " + iterations + " (expected: 1..2500, RFC 5155 10.3)");
    }
    this.iterations = iterations;
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    List<RRset> kept = new ArrayList<>();
    List<RRset> proof = new ArrayList<>();
    for (RRset set : rrsets(response, Section.AUTHORITY)) {
      (typeOf(set) == Type.NSEC3 && !set.rrs(false).isEmpty() ? proof : kept).add(set);
    }
    if (proof.isEmpty()) {
      return;
    }
    Map<Name, RRset> crafted = new LinkedHashMap<>();
    Name qname = request.question().getName();
    for (RRset set : proof) {
      NSEC3Record real = (NSEC3Record) set.first();
      Name origin = new Name(real.getName(), 1);
      for (Name candidate : candidates(qname, origin)) {
        byte[] realHash = hash(real, candidate, real.getIterations());
        boolean matches = Arrays.equals(ownerHash(real), realHash);
        if (!matches && !covers(real, realHash)) {
          continue;
        }
        byte[] hash = hash(real, candidate, iterations);
        byte[] owner = matches ? hash : step(hash, -1);
        NSEC3Record record = new NSEC3Record(ownerOf(origin, owner), DClass.IN, real.getTTL(), real.getHashAlgorithm(),
            real.getFlags(), iterations, real.getSalt(), step(hash, +1), matches ? real.getTypes() : new int[0]);
        crafted.putIfAbsent(record.getName(), signLike(new RRset(record), set));
      }
    }
    kept.addAll(crafted.values());
    replace(response, Section.AUTHORITY, kept);
  }

  /** The names an NSEC3 proof for {@code qname} speaks of: it and its ancestors to the apex, and their wildcards. */
  private static List<Name> candidates(Name qname, Name origin) {
    List<Name> names = new ArrayList<>();
    for (Name name = qname; name.subdomain(origin); name = new Name(name, 1)) {
      names.add(name);
      names.add(wildcard(name));
      if (name.equals(origin)) {
        break;
      }
    }
    return names;
  }

  private static Name wildcard(Name name) {
    try {
      return Name.concatenate(Name.fromString("*"), name);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalStateException("no wildcard below " + name, e);
    }
  }

  private static byte[] hash(NSEC3Record real, Name name, int iterations) {
    try {
      return new NSEC3PARAMRecord(Name.root, DClass.IN, 0, real.getHashAlgorithm(), 0, iterations, real.getSalt())
          .hashName(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-1 for NSEC3 (RFC 5155 5)", e);
    }
  }

  private static byte[] ownerHash(NSEC3Record record) {
    return BASE32HEX.fromString(record.getName().getLabelString(0));
  }

  /** RFC 5155 3.1.7: owner < hash < next, or the last record wrapping past the end. */
  private static boolean covers(NSEC3Record record, byte[] hash) {
    byte[] owner = ownerHash(record);
    byte[] next = record.getNext();
    int afterOwner = Arrays.compareUnsigned(hash, owner);
    int beforeNext = Arrays.compareUnsigned(hash, next);
    boolean wraps = Arrays.compareUnsigned(next, owner) <= 0;
    return wraps ? afterOwner > 0 || beforeNext < 0 : afterOwner > 0 && beforeNext < 0;
  }

  /** The hash one higher or lower, as an unsigned number (wrapping). */
  private static byte[] step(byte[] hash, int delta) {
    byte[] out = hash.clone();
    for (int i = out.length - 1; i >= 0; i--) {
      int value = (out[i] & 0xff) + delta;
      out[i] = (byte) value;
      if (value >= 0 && value <= 0xff) {
        break;
      }
    }
    return out;
  }

  private static Name ownerOf(Name origin, byte[] hash) {
    try {
      return Name.fromString(BASE32HEX.toString(hash), origin);
    } catch (TextParseException e) {
      throw new IllegalStateException("a base32hex label is always a valid name", e);
    }
  }
}
