package dev.dnslab.core.handler;

import dev.dnslab.core.wire.PlainQuery;
import java.util.List;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Section;

/**
 * The OPT record an {@link EdnsHandler} appends to the answer of a {@link PlainQuery} (version 0,
 * no options, or the cookie handler's COOKIE option), in wire form, made once for the answer
 * shortcuts that write what the handlers would.
 */
public final class PlainResponseOpt {
  private static final byte[] NONE = new byte[0];
  /** RFC 7873 4: an 8-byte client cookie, then (RFC 9018 4) a 16-byte server cookie. */
  private static final int CLIENT_COOKIE = 8;
  private static final int SERVER_COOKIE = 16;

  private final byte[] plain;
  private final byte[] dnssecOk;
  /** The OPT with a COOKIE option of zeros, without and with DO: the cookies go in its last 24 bytes. */
  private final byte[] plainWithCookie;
  private final byte[] dnssecOkWithCookie;

  public PlainResponseOpt(EdnsHandler edns) {
    this.plain = edns.responseOpt(false).toWire(Section.ADDITIONAL);
    this.dnssecOk = edns.responseOpt(true).toWire(Section.ADDITIONAL);
    List<EDNSOption> cookie = List.of(new CookieOption(new byte[CLIENT_COOKIE], new byte[SERVER_COOKIE]));
    this.plainWithCookie = edns.responseOpt(false, cookie).toWire(Section.ADDITIONAL);
    this.dnssecOkWithCookie = edns.responseOpt(true, cookie).toWire(Section.ADDITIONAL);
  }

  /**
   * None when the query had no OPT (RFC 6891 7: no OPT in the answer to a query without one), else
   * the handler's, with the DO bit copied from the query (RFC 3225 3).
   */
  public byte[] of(PlainQuery query) {
    return !query.hasEdns() ? NONE : query.dnssecOk() ? dnssecOk : plain;
  }

  /**
   * The handler's OPT for a query with a COOKIE option ({@link PlainQuery#hasCookie}), holding the
   * query's client cookie and {@code serverCookie} (16 bytes) as the cookie handler's option, the
   * only one (RFC 7873 5.2.3, 5.2.5), with the DO bit copied from the query: a new array.
   */
  public byte[] withCookie(PlainQuery query, byte[] serverCookie) {
    byte[] opt = (query.dnssecOk() ? dnssecOkWithCookie : plainWithCookie).clone();
    int clientAt = opt.length - CLIENT_COOKIE - SERVER_COOKIE;
    System.arraycopy(query.clientCookie(), 0, opt, clientAt, CLIENT_COOKIE);
    System.arraycopy(serverCookie, 0, opt, clientAt + CLIENT_COOKIE, SERVER_COOKIE);
    return opt;
  }
}
