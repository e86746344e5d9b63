package dev.dnslab.core.authority;

import dev.dnslab.core.zone.Zone;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.SOARecord;

/** The SOA that goes into the authority section of NXDOMAIN and NODATA responses. */
final class NegativeAnswer {
  private NegativeAnswer() {}

  /**
   * The zone's SOA with its TTL lowered to the negative-caching TTL, min(SOA TTL, SOA MINIMUM), so
   * a resolver caches the negative answer for exactly that long (RFC 2308 3 and 5).
   */
  static SOARecord soaFor(Zone zone) {
    SOARecord soa = zone.soa();
    return new SOARecord(
        soa.getName(),
        soa.getDClass(),
        zone.negativeTtl(),
        soa.getHost(),
        soa.getAdmin(),
        soa.getSerial(),
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }

  /** A copy of {@code signature} with the record TTL {@code ttl}; the signed data is unchanged. */
  static RRSIGRecord withTtl(RRSIGRecord signature, long ttl) {
    return new RRSIGRecord(signature.getName(), signature.getDClass(), ttl, signature.getTypeCovered(),
        signature.getAlgorithm(), signature.getOrigTTL(), signature.getExpire(), signature.getTimeSigned(),
        signature.getFootprint(), signature.getSigner(), signature.getSignature());
  }
}
