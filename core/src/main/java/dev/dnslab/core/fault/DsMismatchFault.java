package dev.dnslab.core.fault;

import dev.dnslab.core.dnssec.DnssecAlgorithm;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.server.DnsRequest;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * DNSKEY in the child matches it (RFC 4035 5.2), so the child zone is bogus: SERVFAIL. The key is
 * made once per child and fault, on the fault-key thread, at the first DS of that child the fault
 * replaces (which child that is, and its algorithm, only the answer says).
 */
public final class DsMismatchFault extends DnssecFault {
  private static final int[] SECTIONS = {Section.ANSWER, Section.AUTHORITY};
  private final FaultKeys<Name, DNSKEYRecord> unpublished = new FaultKeys<>();

  public DsMismatchFault(QueryMatch match, FaultListener listener, KeyDirectory keys) {
    super("ds-mismatch", match, listener, keys);
  }

  /** For each DS RRset: the fresh key of its child, and the keys of the parent that signed it. */
  @Override
  protected List<CompletableFuture<?>> prepare(Message response) {
    List<CompletableFuture<?>> needed = new ArrayList<>();
    for (int section : SECTIONS) {
      for (RRset set : rrsets(response, section)) {
        if (typeOf(set) == Type.DS && !set.rrs(false).isEmpty()) {
          DSRecord real = (DSRecord) set.first();
          needed.add(unpublished.start(real.getName(), () -> freshKey(real.getName(), real.getAlgorithm())));
          set.sigs().stream().findFirst().ifPresent(sig -> needed.add(startKeysOf(sig.getSigner())));
        }
      }
    }
    return needed;
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    for (int section : SECTIONS) {
      List<RRset> sets = new ArrayList<>();
      for (RRset set : rrsets(response, section)) {
        sets.add(typeOf(set) == Type.DS && !set.rrs(false).isEmpty() ? mismatched(set) : set);
      }
      replace(response, section, sets);
    }
  }

  private RRset mismatched(RRset ds) {
    DSRecord real = (DSRecord) ds.first();
    DNSKEYRecord key = unpublished.got(real.getName());
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
