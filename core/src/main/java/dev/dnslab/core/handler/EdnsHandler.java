package dev.dnslab.core.handler;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.ReadyStage;
import dev.dnslab.core.wire.ResponseSizeLimit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * EDNS(0), RFC 6891: a query with OPT gets OPT back, advertising our UDP payload size; a query with
 * an EDNS version we do not speak gets BADVERS (6.1.3). The DO bit is echoed (RFC 3225 3). Queries
 * without OPT get responses without OPT (6.1.1). Size limits themselves are applied by the encoder.
 */
public final class EdnsHandler implements DnsHandler {
  private final int advertisedPayload;
  /**
   * The OPT records of a plain response (rcode below 16, no options), without and with DO: most
   * responses carry one of these two, so they are made once rather than per response. dnsjava's
   * records offer no way to change them, and a handler that adds an option (cookies, RFC 7873)
   * replaces the record rather than editing it.
   */
  private final OPTRecord plainOpt;
  private final OPTRecord dnssecOkOpt;

  public EdnsHandler() {
    this(ResponseSizeLimit.DEFAULT_EDNS_UDP);
  }

  public EdnsHandler(int advertisedPayload) {
    if (advertisedPayload < ResponseSizeLimit.CLASSIC_UDP || advertisedPayload > 65535) {
      throw new IllegalArgumentException(
          "advertisedPayload: " + advertisedPayload + " (expected: 512..65535)");
    }
    this.advertisedPayload = advertisedPayload;
    this.plainOpt = new OPTRecord(advertisedPayload, 0, 0, 0);
    this.dnssecOkOpt = new OPTRecord(advertisedPayload, 0, 0, ExtendedFlags.DO);
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    OPTRecord opt = request.query().getOPT();
    if (opt == null) {
      return next.proceed(request);
    }
    if (opt.getVersion() > 0) {
      Message badvers = request.newResponse(Rcode.NOERROR);
      badvers.addRecord(responseOpt(Rcode.BADVERS, opt), Section.ADDITIONAL);
      return CompletableFuture.completedFuture(badvers);
    }
    CompletionStage<Message> stage = next.proceed(request);
    Message ready = ReadyStage.valueOrNull(stage);
    if (ready != null) {
      // withOpt amends the response in place, so the completed stage already holds the result.
      withOpt(ready, opt);
      return stage;
    }
    return stage.thenApply(response -> withOpt(response, opt));
  }

  private Message withOpt(Message response, OPTRecord queryOpt) {
    // Keep an extended rcode and the options (RFC 8914 EDE) a later handler may have put in its
    // own OPT, then replace that OPT.
    int rcode = response.getRcode();
    OPTRecord existing = response.getOPT();
    List<EDNSOption> options = List.of();
    if (existing != null) {
      options = existing.getOptions();
      response.removeRecord(existing, Section.ADDITIONAL);
    }
    response.getHeader().setRcode(rcode & 0xF);
    response.addRecord(responseOpt(rcode, queryOpt, options), Section.ADDITIONAL);
    return response;
  }

  /**
   * The OPT record this handler gives a response to a query with an OPT of version 0, no options and
   * DO as {@code dnssecOk}, when nothing later in the chain changed the rcode or added options.
   */
  public OPTRecord responseOpt(boolean dnssecOk) {
    return dnssecOk ? dnssecOkOpt : plainOpt;
  }

  /**
   * The OPT record this handler gives a response to a query with an OPT of version 0 and DO as
   * {@code dnssecOk}, when a later handler put {@code options} (a cookie, RFC 7873) in the response
   * and left its rcode below 16.
   */
  public OPTRecord responseOpt(boolean dnssecOk, List<EDNSOption> options) {
    return new OPTRecord(advertisedPayload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0, options);
  }

  private Record responseOpt(int rcode, OPTRecord queryOpt) {
    return responseOpt(rcode, queryOpt, List.of());
  }

  private Record responseOpt(int rcode, OPTRecord queryOpt, List<EDNSOption> options) {
    int flags = queryOpt.getFlags() & ExtendedFlags.DO;
    if (rcode >>> 4 == 0 && options.isEmpty()) {
      return responseOpt(flags != 0);
    }
    return new OPTRecord(advertisedPayload, rcode >>> 4, 0, flags, options);
  }
}
