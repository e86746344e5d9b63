package dev.dnslab.core.handler;

import dev.dnslab.core.wire.PlainQuery;
import org.xbill.DNS.Section;

/**
 * The OPT record an {@link EdnsHandler} appends to the answer of a {@link PlainQuery} (version 0,
 * no options), in wire form, made once for the answer shortcuts that write what the handler would.
 */
public final class PlainResponseOpt {
  private static final byte[] NONE = new byte[0];

  private final byte[] plain;
  private final byte[] dnssecOk;

  public PlainResponseOpt(EdnsHandler edns) {
    this.plain = edns.responseOpt(false).toWire(Section.ADDITIONAL);
    this.dnssecOk = edns.responseOpt(true).toWire(Section.ADDITIONAL);
  }

  /**
   * None when the query had no OPT (RFC 6891 7: no OPT in the answer to a query without one), else
   * the handler's, with the DO bit copied from the query (RFC 3225 3).
   */
  public byte[] of(PlainQuery query) {
    return !query.hasEdns() ? NONE : query.dnssecOk() ? dnssecOk : plain;
  }
}
