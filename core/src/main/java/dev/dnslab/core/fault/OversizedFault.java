package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Pads the answer RRset of every matching A, AAAA or TXT response with {@code padding} more records
 * of the same name, class, type and TTL (addresses from the benchmarking range 198.18.0.0/15, RFC 2544,
 * and the documentation prefix 2001:db8::/32), so the answer outgrows a UDP payload. The encoder then truncates it with TC set
 * (RFC 2181 9), and the resolver must fetch the whole RRset over TCP (RFC 7766 5). Other types and
 * empty answers pass unchanged.
 */
public final class OversizedFault extends FaultHandler {
  private final int padding;

  public OversizedFault(QueryMatch match, int padding, FaultListener listener) {
    super("oversized", match, listener);
    if (padding < 1 || padding > 4000) {
      throw new IllegalArgumentException("padding: " + padding + " (expected: 1..4000)");
    }
    this.padding = padding;
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return next.proceed(request).thenApply(this::pad);
  }

  private Message pad(Message response) {
    int qtype = response.getQuestion() == null ? 0 : response.getQuestion().getType();
    Record model = null;
    for (Record record : response.getSection(Section.ANSWER)) {
      if (record.getType() == qtype) {
        model = record;
      }
    }
    if (model == null || (qtype != Type.A && qtype != Type.AAAA && qtype != Type.TXT)) {
      return response;
    }
    for (int i = 0; i < padding; i++) {
      response.addRecord(padRecord(model, i), Section.ANSWER);
    }
    return response;
  }

  private static Record padRecord(Record model, int i) {
    try {
      switch (model.getType()) {
        case Type.A:
          byte[] v4 = {(byte) 198, (byte) (18 + (i >> 16 & 1)), (byte) (i >> 8), (byte) i};
          return new ARecord(model.getName(), model.getDClass(), model.getTTL(), InetAddress.getByAddress(v4));
        case Type.AAAA:
          byte[] v6 = new byte[16];
          v6[0] = 0x20;
          v6[1] = 0x01;
          v6[2] = 0x0d;
          v6[3] = (byte) 0xb8;
          v6[14] = (byte) (i >> 8);
          v6[15] = (byte) i;
          return new AAAARecord(model.getName(), model.getDClass(), model.getTTL(), InetAddress.getByAddress(v6));
        default:
          return new TXTRecord(model.getName(), model.getDClass(), model.getTTL(), "dnslab padding " + i);
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public int padding() {
    return padding;
  }
}
