package dev.dnslab.core.handler;

import dev.dnslab.core.cookie.ServerCookieHandler;
import dev.dnslab.core.transport.PerThreadValues;
import dev.dnslab.core.wire.CookieLengths;
import dev.dnslab.core.wire.PlainQuery;
import java.net.InetAddress;
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
  /** Which of a thread's own copies (ownCopies) answers a query without and with DO. */
  private static final int PLAIN = 0;
  private static final int DNSSEC_OK = 1;

  private final byte[] plain;
  private final byte[] dnssecOk;
  /** The OPT with a COOKIE option of zeros, without and with DO: the cookies go in its last 24 bytes. */
  private final byte[] plainWithCookie;
  private final byte[] dnssecOkWithCookie;
  /** Each thread's own copies of the two above ({@link #ownCopies}). */
  private final PerThreadValues<byte[][]> threadCopies = new PerThreadValues<>(this::ownCopies);

  public PlainResponseOpt(EdnsHandler edns) {
    this.plain = edns.responseOpt(false).toWire(Section.ADDITIONAL);
    this.dnssecOk = edns.responseOpt(true).toWire(Section.ADDITIONAL);
    List<EDNSOption> cookie = List.of(new CookieOption(new byte[CookieLengths.CLIENT], new byte[CookieLengths.SERVER]));
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
   * query's client cookie and the server cookie {@code cookies} issues for it and {@code client}
   * (RFC 9018 4) as the cookie handler's option, the only one (RFC 7873 5.2.3, 5.2.5), with the DO
   * bit copied from the query. This thread's own array, good until its next call here: the answer
   * is written from it at once, and an array per answer was garbage the shortcut need not make.
   */
  public byte[] withCookie(PlainQuery query, ServerCookieHandler cookies, InetAddress client) {
    byte[] opt = threadCopies.get()[query.dnssecOk() ? DNSSEC_OK : PLAIN];
    int clientAt = opt.length - CookieLengths.CLIENT - CookieLengths.SERVER;
    query.copyClientCookie(opt, clientAt);
    cookies.serverCookie(opt, clientAt, client, opt, clientAt + CookieLengths.CLIENT);
    return opt;
  }

  /**
   * A thread's own copies of the two OPTs with a COOKIE option, the cookies rewritten in place per
   * answer ({@link #withCookie}); all else in them stays as made here.
   */
  private byte[][] ownCopies() {
    return new byte[][] {plainWithCookie.clone(), dnssecOkWithCookie.clone()};
  }
}
