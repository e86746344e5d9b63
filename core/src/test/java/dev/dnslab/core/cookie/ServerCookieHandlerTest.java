package dev.dnslab.core.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.testing.AllocatedBytes;
import dev.dnslab.core.wire.PlainQuery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
 * The cookie handler's verdict on a query read without dnsjava ({@link PlainQuery}, the answer
 * shortcuts' path) against its verdict on the same query decoded by dnsjava (the chain's path),
 * with the cookies of RFC 9018 Appendix A.2: a server cookie checked in place must get the same.
 */
class ServerCookieHandlerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET = HEX.parseHex("e5e973e5a6b2a43f48e7dc849e37bfcf");
  private static final String CLIENT_COOKIE = "2464c4abcf10c957";
  /** Appendix A.1's server cookie, stamped 1559731985 (checked forty minutes later in A.2). */
  private static final String SERVER_COOKIE = "010000005cf79f111f8130c3eee29480";
  private static final long FORTY_MINUTES_LATER = 1559734385;
  /** Where the allocation baseline puts each address copy it makes (see its test). */
  private static volatile byte[] addressSeen;

  @ParameterizedTest(name = "{0}: {3} on both paths")
  @CsvSource({
    "its own forty minutes on, 1559734385, 198.51.100.100, VALID",
    "its own an hour and a second on, 1559735586, 198.51.100.100, INVALID",
    "its own from another address, 1559734385, 198.51.100.101, INVALID"})
  void findsTheSameStatusOfAServerCookieOnBothPaths(String cookie, long now, String address, CookieStatus expected)
      throws Exception {
    assertBothPathsFind(expected, handlerAt(now), SERVER_COOKIE, address);
  }

  @Test
  void findsAServerCookieWithAnyByteAlteredInvalidOnBothPaths() throws Exception {
    ServerCookieHandler handler = handlerAt(FORTY_MINUTES_LATER);
    // Byte 0 is the version, 1-3 the reserved bytes (hashed as received), 4-7 the stamp, 8-15 the hash.
    for (int i = 0; i < 16; i++) {
      byte[] altered = HEX.parseHex(SERVER_COOKIE);
      altered[i] ^= 0x01;
      assertBothPathsFind(CookieStatus.INVALID, handler, HEX.formatHex(altered), "198.51.100.100");
    }
  }

  @Test
  void checksAServerCookieWithoutCopyingTheCookiesOutOfTheQuery() throws Exception {
    ServerCookieHandler handler = handlerAt(FORTY_MINUTES_LATER);
    PlainQuery query = plain(SERVER_COOKIE);
    InetAddress client = InetAddress.getByName("198.51.100.100");
    int calls = 20_000;
    // What remains per call: the copy of the address's bytes InetAddress.getAddress() makes. Kept
    // in a field, so that the JIT cannot drop the copy as unused and leave a baseline of nothing.
    long addressBytes = AllocatedBytes.perCall(calls, () -> addressSeen = client.getAddress());

    long perCheck = AllocatedBytes.perCall(calls, () -> handler.status(query, client));

    // Two copies out of the query were 8 + 16 bytes of data and two array headers more.
    assertThat(perCheck).isLessThan(addressBytes + 16);
  }

  private static void assertBothPathsFind(CookieStatus expected, ServerCookieHandler handler, String serverCookie,
      String address) throws Exception {
    InetAddress client = InetAddress.getByName(address);
    Message query = query(serverCookie);
    DnsRequest request = new DnsRequest(query, Transport.UDP, new InetSocketAddress(client, 5353),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 53), 1232, System.nanoTime());

    assertThat(handler.status(request)).as("chain, server cookie %s", serverCookie).isEqualTo(expected);
    assertThat(handler.status(plain(serverCookie), client)).as("in place, server cookie %s", serverCookie)
        .isEqualTo(expected);
  }

  private static ServerCookieHandler handlerAt(long epochSecond) {
    ServerCookies cookies = new ServerCookies(SECRET, Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    return new ServerCookieHandler(cookies, new DnsMetrics(new SimpleMeterRegistry(), "test"));
  }

  private static Message query(String serverCookie) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("example."), Type.A, DClass.IN));
    CookieOption cookie = new CookieOption(HEX.parseHex(CLIENT_COOKIE), HEX.parseHex(serverCookie));
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(cookie)), Section.ADDITIONAL);
    return query;
  }

  private static PlainQuery plain(String serverCookie) throws Exception {
    PlainQuery plain = PlainQuery.read(Unpooled.wrappedBuffer(query(serverCookie).toWire()));
    assertThat(plain).isNotNull();
    assertThat(plain.hasServerCookie()).isTrue();
    return plain;
  }
}
