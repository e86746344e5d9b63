package dev.dnslab.core.wire;

import dev.dnslab.core.server.Transport;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/** How large a response to one query may be, per RFC 1035 4.2.1 and RFC 6891 6.2.5. */
public final class ResponseSizeLimit {
  /** The classic limit for a UDP response to a query without EDNS(0) (RFC 1035 4.2.1). */
  public static final int CLASSIC_UDP = 512;

  /**
   * The largest UDP payload we send and advertise: 1232 bytes fits a 1280-byte IPv6 minimum MTU
   * with its headers, so answers never rely on IP fragmentation (DNS Flag Day 2020, RFC 9715).
   */
  public static final int DEFAULT_EDNS_UDP = 1232;

  private ResponseSizeLimit() {}

  /**
   * The response limit for {@code query}: streams take a full 16-bit message; UDP takes the
   * client's advertised EDNS payload size (values below 512 are treated as 512), capped by ours.
   */
  public static int of(Message query, Transport transport, int serverUdpMax) {
    OPTRecord opt = query.getOPT();
    return of(opt == null ? PlainQuery.NO_EDNS : opt.getPayloadSize(), transport, serverUdpMax);
  }

  /**
   * The same for a query advertising {@code ednsPayload} in its OPT record, or {@link
   * PlainQuery#NO_EDNS} without one.
   */
  public static int of(int ednsPayload, Transport transport, int serverUdpMax) {
    if (transport.isStream()) {
      return DnsResponseEncoder.MAX_STREAM_MESSAGE;
    }
    if (ednsPayload == PlainQuery.NO_EDNS) {
      return CLASSIC_UDP;
    }
    return Math.max(CLASSIC_UDP, Math.min(ednsPayload, serverUdpMax));
  }
}
