package dev.dnslab.core.authority;

import dev.dnslab.core.zone.Zone;
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
}
