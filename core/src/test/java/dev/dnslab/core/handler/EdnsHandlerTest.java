package dev.dnslab.core.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The OPT record EdnsHandler gives a response (RFC 6891), as the handler chain sees it. */
class EdnsHandlerTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

  private final EdnsHandler edns = new EdnsHandler(1232);

  @Test
  void givesEveryPlainResponseTheSameOptRecordAsTheOneItWouldMakeWithDoEchoed() throws Exception {
    for (int flags : List.of(0, ExtendedFlags.DO)) {
      OPTRecord first = opt(edns.handle(request(flags), plainAnswer()).toCompletableFuture().get());
      OPTRecord second = opt(edns.handle(request(flags), plainAnswer()).toCompletableFuture().get());

      // Made once per handler, not per response, and the same bytes as one made for the response.
      assertThat(second).isSameAs(first).isSameAs(edns.responseOpt(flags != 0));
      assertThat(first.toWire(Section.ADDITIONAL))
          .isEqualTo(new OPTRecord(1232, 0, 0, flags).toWire(Section.ADDITIONAL));
      assertThat(first.getFlags()).isEqualTo(flags);
      assertThat(first.getOptions()).isEmpty();
    }
  }

  @Test
  void givesAResponseWithOptionsOrAnExtendedRcodeAnOptRecordOfItsOwn() throws Exception {
    ExtendedErrorCodeOption ede = new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER, "stale");
    DnsChain explained = request -> {
      Message response = request.newResponse(Rcode.NOERROR);
      response.addRecord(new OPTRecord(0, 0, 0, 0, List.of(ede)), Section.ADDITIONAL);
      return CompletableFuture.completedFuture(response);
    };
    DnsChain badCookie = request -> {
      Message response = request.newResponse(Rcode.NOERROR);
      response.addRecord(new OPTRecord(0, Rcode.BADCOOKIE >>> 4, 0, 0), Section.ADDITIONAL);
      response.getHeader().setRcode(Rcode.BADCOOKIE & 0xF);
      return CompletableFuture.completedFuture(response);
    };

    Message withEde = edns.handle(request(ExtendedFlags.DO), explained).toCompletableFuture().get();
    Message withBadCookie = edns.handle(request(0), badCookie).toCompletableFuture().get();

    assertThat(opt(withEde)).isNotSameAs(edns.responseOpt(true));
    assertThat(opt(withEde).getOptions()).containsExactly(ede);
    assertThat(opt(withEde).getPayloadSize()).isEqualTo(1232);
    assertThat(opt(withEde).getFlags()).isEqualTo(ExtendedFlags.DO);
    assertThat(withBadCookie.getRcode()).isEqualTo(Rcode.BADCOOKIE);
    assertThat(opt(withBadCookie)).isNotSameAs(edns.responseOpt(false));
    assertThat(edns.responseOpt(false).getExtendedRcode()).as("the shared record untouched").isZero();
  }

  private static DnsChain plainAnswer() {
    return request -> CompletableFuture.completedFuture(request.newResponse(Rcode.NOERROR));
  }

  private static OPTRecord opt(Message response) {
    List<Record> additional = response.getSection(Section.ADDITIONAL);
    assertThat(additional).hasSize(1).first().isInstanceOf(OPTRecord.class);
    return (OPTRecord) additional.get(0);
  }

  private static DnsRequest request(int flags) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.example.org."), Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, flags), Section.ADDITIONAL);
    return new DnsRequest(query, Transport.UDP, CLIENT, SERVER, 1232, System.nanoTime());
  }
}
