package dev.dnslab.core.fault;

import dev.dnslab.core.dnssec.DnssecAlgorithm;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.server.DnsRequest;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The parent's side of a botched key rollover: every DS RRset in the answer (a DS answer, or the DS
 * of a signed referral) is replaced by the DS of a key the child never published, made fresh with
 * the child's algorithm, and signed by the parent's real keys. The DS RRset validates, but no
 * DNSKEY in the child matches it (RFC 4035 5.2), so the child zone is bogus: SERVFAIL.
 */
public final class DsMismatchFault extends DnssecFault {
  private final Map<Name, DNSKEYRecord> unpublished = new ConcurrentHashMap<>();

  public DsMismatchFault(QueryMatch match, FaultListener listener, KeyDirectory keys) {
    super("ds-mismatch", match, listener, keys);
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      List<RRset> sets = new ArrayList<>();
      for (RRset set : rrsets(response, section)) {
        sets.add(typeOf(set) == Type.DS && !set.rrs(false).isEmpty() ? mismatched(set) : set);
      }
      replace(response, section, sets);
    }
  }

  private RRset mismatched(RRset ds) {
    DSRecord real = (DSRecord) ds.first();
    DNSKEYRecord key = unpublished.computeIfAbsent(real.getName(), child -> freshKey(child, real.getAlgorithm()));
    return signLike(new RRset(new DSRecord(real.getName(), DClass.IN, real.getTTL(), real.getDigestID(), key)), ds);
  }

  private static DNSKEYRecord freshKey(Name child, int algorithm) {
    DnssecAlgorithm which = DnssecAlgorithm.ofNumber(algorithm).orElse(DnssecAlgorithm.ECDSAP256SHA256);
    KeyPair pair = which.generateKeyPair();
    try {
      return new DNSKEYRecord(child, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
          DNSKEYRecord.Protocol.DNSSEC, which.number(), pair.getPublic());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot encode a fresh " + which + " key: " + e.getMessage(), e);
    }
  }
}
