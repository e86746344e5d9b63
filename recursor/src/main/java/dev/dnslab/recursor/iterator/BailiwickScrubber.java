package dev.dnslab.recursor.iterator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Drops every record a server had no business sending, before anything is classified or cached
 * (the Kaminsky-era defence, RFC 5452 6 and Unbound's {@code iter_scrub.c}). A server we asked
 * about zone Z may speak only about names at or below Z: the root may speak about anything, the com
 * servers about names ending in com, the google.com server only about google.com. Glue is kept only
 * for the name servers of the delegation it came with.
 */
public final class BailiwickScrubber {
  private static final long MAX_TTL = 0x7FFFFFFFL;

  private BailiwickScrubber() {}

  /**
   * The DNSSEC records of an authority section (RFC 4035 3.1.3, 3.1.4): NSEC and NSEC3 denials, a
   * referral's DS, and the RRSIGs over those and over the SOA.
   */
  static boolean isDnssecProof(Record record) {
    int type = record.getRRsetType(); // an RRSIG's is the type it covers
    boolean proofType = type == Type.NSEC || type == Type.NSEC3 || type == Type.DS;
    return proofType || (record.getType() == Type.RRSIG && type == Type.SOA);
  }

  /**
   * We ask only class IN questions, so a record of any other class answers nothing we asked
   * (Unbound's scrubber drops them too). Kept, it would also break an RRset: an NS set of two
   * classes is no RRset at all (RFC 2181 5: one name, class and type), and dnsjava refuses it.
   */
  private static boolean isInternet(Record record) {
    return record.getDClass() == DClass.IN;
  }

  /**
   * Adds the lower-cased copy of {@code record} to {@code kept}, or drops the record when dnsjava
   * cannot write its data back (a WKS record with no services, for one, fails inside dnsjava) or
   * cannot read back what it wrote (newRecord then gives null): what cannot be written cannot be
   * cached or given to a client. Returns whether it was kept.
   */
  private static boolean keepLowerCased(List<Record> kept, Record record) {
    Record copy;
    try {
      copy = Record.newRecord(lowerCase(record.getName()), record.getType(), record.getDClass(), ttl(record),
          record.rdataToWireCanonical()); // RFC 4034 6.2: canonical RDATA has its names in lower case
    } catch (RuntimeException e) {
      return false;
    }
    if (copy == null) {
      return false;
    }
    kept.add(copy);
    return true;
  }

  /** RFC 2181 8: a TTL with the most significant bit set is treated as if it were zero. */
  private static long ttl(Record record) {
    return record.getTTL() > MAX_TTL ? 0 : record.getTTL();
  }

  private static Name lowerCase(Name name) {
    // dnsjava's canonical form (RFC 4034 6.2) lower-cases ASCII letters in place of the name's
    // bytes; printing the name and parsing the text back did the same at several times the cost.
    return name.canonicalize();
  }

  /** {@code nameServers} with {@code ns}'s target added, made on the first. */
  private static Set<Name> withNameServer(Set<Name> nameServers, NSRecord ns) {
    Set<Name> set = nameServers == null ? new HashSet<>() : nameServers;
    set.add(ns.getTarget());
    return set;
  }

  /**
   * Every surviving record comes out in lower case, owner and names inside the data alike: with
   * 0x20 the question went out in mixed case, and name compression lets that case leak into any
   * record whose name shares a suffix with it (ns1.GOOglE.Com. in a referral's glue). DNS names
   * compare without case (RFC 4343), so the cache keeps one spelling, like Unbound's.
   */
  public static ScrubbedReply scrub(Message reply, Name zone, Name asked) {
    // Sections walked by index and the name server set made only for a first NS: a miss's answer
    // from its zone's server usually has neither, and the iterators and the empty set were not
    // optimised away (async-profiler, event=alloc).
    List<Record> answer = new ArrayList<>();
    List<Record> answerSection = reply.getSection(Section.ANSWER);
    for (int i = 0, n = answerSection.size(); i < n; i++) {
      Record record = answerSection.get(i);
      if (isInternet(record) && record.getName().subdomain(zone)) {
        keepLowerCased(answer, record);
      }
    }
    List<Record> authority = new ArrayList<>();
    Set<Name> nameServers = null;
    List<Record> authoritySection = reply.getSection(Section.AUTHORITY);
    for (int i = 0, n = authoritySection.size(); i < n; i++) {
      Record record = authoritySection.get(i);
      Name owner = record.getName();
      // NS and SOA must sit between the zone we asked and the name we asked about.
      boolean onPath = isInternet(record) && owner.subdomain(zone) && asked.subdomain(owner);
      if (record.getType() == Type.NS && onPath) {
        if (keepLowerCased(authority, record)) {
          nameServers = withNameServer(nameServers, (NSRecord) record);
        }
      } else if (record.getType() == Type.SOA && isInternet(record) && owner.subdomain(zone)) {
        keepLowerCased(authority, record);
      } else if (isDnssecProof(record) && isInternet(record) && owner.subdomain(zone)
          && (record.getRRsetType() != Type.DS || onPath)) {
        // RFC 4035 3.1.3 and 3.1.4: the SOA's RRSIGs, NSEC/NSEC3 denials and a referral's DS (only
        // for the cut on the path to the asked name) with their RRSIGs. Like any other record,
        // only from the zone asked about; whether they prove anything is the validator's question.
        keepLowerCased(authority, record);
      }
    }
    for (int i = 0, n = answer.size(); i < n; i++) {
      if (answer.get(i) instanceof NSRecord ns) {
        nameServers = withNameServer(nameServers, ns);
      }
    }
    List<Record> additional = new ArrayList<>();
    if (nameServers != null) { // glue is kept for a delegation's name servers only
      List<Record> additionalSection = reply.getSection(Section.ADDITIONAL);
      for (int i = 0, n = additionalSection.size(); i < n; i++) {
        Record record = additionalSection.get(i);
        int type = record.getType();
        if ((type == Type.A || type == Type.AAAA)
            && isInternet(record)
            && record.getName().subdomain(zone)
            && nameServers.contains(record.getName())) {
          keepLowerCased(additional, record);
        }
      }
    }
    return new ScrubbedReply(reply.getRcode(), reply.getHeader().getFlag(org.xbill.DNS.Flags.AA),
        answer, authority, additional);
  }
}
