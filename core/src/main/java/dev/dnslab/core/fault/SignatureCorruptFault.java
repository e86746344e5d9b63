package dev.dnslab.core.fault;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.server.DnsRequest;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * Flips the last bit of the signature field of every RRSIG in the answer, leaving every other field
 * (and the signed data) as the zone's signer made them: the signature no longer verifies against
 * the key its tag names (RFC 4035 5.3.3), so the RRset is bogus and a validator answers SERVFAIL
 * (RFC 4035 5.5).
 */
public final class SignatureCorruptFault extends DnssecFault {
  public SignatureCorruptFault(QueryMatch match, FaultListener listener, KeyDirectory keys) {
    super("rrsig-corrupt", match, listener, keys);
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    for (int section : RRSET_SECTIONS) {
      List<Record> records = new ArrayList<>(response.getSection(section));
      response.removeAllRecords(section);
      for (Record record : records) {
        response.addRecord(record instanceof RRSIGRecord sig ? corrupted(sig) : record, section);
      }
    }
  }

  static RRSIGRecord corrupted(RRSIGRecord sig) {
    byte[] signature = sig.getSignature().clone();
    signature[signature.length - 1] ^= 1;
    return new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
        sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), signature);
  }
}
