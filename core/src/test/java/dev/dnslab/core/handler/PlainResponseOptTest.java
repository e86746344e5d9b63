package dev.dnslab.core.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cookie.ServerCookieHandler;
import dev.dnslab.core.cookie.ServerCookies;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.wire.PlainQuery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.InternalThreadLocalMap;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The OPT the shortcuts append to the answer of a query with a COOKIE option: the query's client
 * cookie and the server cookie the handler issues, each thread writing into its own copy, so an
 * answer being written on one event loop never sees another loop's cookies.
 */
class PlainResponseOptTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ServerCookies COOKIES = new ServerCookies(
      HEX.parseHex("e5e973e5a6b2a43f48e7dc849e37bfcf"), Clock.fixed(Instant.ofEpochSecond(1559731985), ZoneOffset.UTC));
  private final ServerCookieHandler handler = new ServerCookieHandler(COOKIES, new DnsMetrics(new SimpleMeterRegistry(), "test"));
  private final PlainResponseOpt opt = new PlainResponseOpt(new EdnsHandler());

  private static PlainQuery queryWithCookie(String clientCookie, boolean dnssecOk) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("example."), Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? 0x8000 : 0,
        List.<EDNSOption>of(new CookieOption(HEX.parseHex(clientCookie)))), Section.ADDITIONAL);
    return PlainQuery.read(Unpooled.wrappedBuffer(query.toWire()));
  }

  /** The COOKIE option's data, the last 24 bytes of the OPT. */
  private static String cookies(byte[] opt) {
    return HEX.formatHex(Arrays.copyOfRange(opt, opt.length - 24, opt.length));
  }

  @Test
  void holdsTheClientCookieAndTheServerCookieIssuedForIt() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.100");

    byte[] withCookie = opt.withCookie(queryWithCookie("2464c4abcf10c957", false), handler, client);

    assertThat(cookies(withCookie)).isEqualTo("2464c4abcf10c957" + "010000005cf79f111f8130c3eee29480");
    assertThat(Arrays.copyOf(withCookie, withCookie.length - 24))
        .isEqualTo(Arrays.copyOf(new EdnsHandler().responseOpt(false, List.of(new CookieOption(new byte[8], new byte[16])))
            .toWire(Section.ADDITIONAL), withCookie.length - 24));
  }

  @Test
  void anotherThreadsCallLeavesThisThreadsOptAsItWas() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.100");
    byte[] mine = opt.withCookie(queryWithCookie("2464c4abcf10c957", true), handler, client);
    String before = cookies(mine);

    byte[] theirs = CompletableFuture.supplyAsync(() -> {
      try {
        return opt.withCookie(queryWithCookie("0102030405060708", true), handler, client);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).join();

    assertThat(theirs).isNotSameAs(mine);
    assertThat(cookies(mine)).isEqualTo(before);
    assertThat(cookies(theirs)).startsWith("0102030405060708");
  }

  @Test
  void optsMadeAndUsedTakeNoIndexOfNettysThreadLocalMaps() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.100");
    PlainQuery query = queryWithCookie("2464c4abcf10c957", false);
    new PlainResponseOpt(new EdnsHandler()).withCookie(query, handler, client);
    int lastIndex = InternalThreadLocalMap.lastVariableIndex();

    for (int i = 0; i < 100; i++) {
      new PlainResponseOpt(new EdnsHandler()).withCookie(query, handler, client);
    }

    assertThat(InternalThreadLocalMap.lastVariableIndex()).isEqualTo(lastIndex);
  }
}
