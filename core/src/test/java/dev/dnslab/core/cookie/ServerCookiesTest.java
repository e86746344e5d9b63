package dev.dnslab.core.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.wire.CookieLengths;
import dev.dnslab.core.wire.PlainQuery;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.InternalThreadLocalMap;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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

/** The server cookie construction against the published examples of RFC 9018 Appendix A. */
class ServerCookiesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET = HEX.parseHex("e5e973e5a6b2a43f48e7dc849e37bfcf");

  @Test
  void issuesTheServerCookieOfAppendixA1() throws Exception {
    ServerCookies cookies = at(SECRET, 1559731985);

    byte[] cookie = cookies.issue(HEX.parseHex("2464c4abcf10c957"), InetAddress.getByName("198.51.100.100"));

    assertThat(HEX.formatHex(cookie)).isEqualTo("010000005cf79f111f8130c3eee29480");
  }

  @Test
  void acceptsItsOwnCookieFortyMinutesLaterAndRenewsItAsInAppendixA2() throws Exception {
    ServerCookies cookies = at(SECRET, 1559734385);
    InetAddress client = InetAddress.getByName("198.51.100.100");

    boolean valid = cookies.isValid(option("2464c4abcf10c957010000005cf79f111f8130c3eee29480"), client);
    byte[] renewed = cookies.issue(HEX.parseHex("2464c4abcf10c957"), client);

    assertThat(valid).isTrue();
    assertThat(HEX.formatHex(renewed)).isEqualTo("010000005cf7a871d4a564a1442aca77");
  }

  @Test
  void hashesTheReservedBytesAsReceivedAndRenewsAnExpiredCookieAsInAppendixA3() throws Exception {
    InetAddress client = InetAddress.getByName("203.0.113.203");
    CookieOption stale = option("fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5"); // stamped 1559727985

    boolean validWhenStamped = at(SECRET, 1559727985).isValid(stale, client);
    boolean validNearlyTwoHoursLater = at(SECRET, 1559734700).isValid(stale, client);
    byte[] renewed = at(SECRET, 1559734700).issue(HEX.parseHex("fc93fc62807ddb86"), client);

    assertThat(validWhenStamped).isTrue();
    assertThat(validNearlyTwoHoursLater).isFalse();
    assertThat(HEX.formatHex(renewed)).isEqualTo("010000005cf7a9acf73a7810aca2381e");
  }

  @Test
  void checksAnIpv6ClientWithTheSecretThatMadeTheCookieAsInAppendixA4() throws Exception {
    InetAddress client = InetAddress.getByName("2001:db8:220:1:59de:d0f4:8769:82b8");
    CookieOption cookie = option("22681ab97d52c298010000005cf7c57926556bd0934c72f8");

    assertThat(at(HEX.parseHex("dd3bdf9344b678b185a6f5cb60fca715"), 0x5cf7c579L).isValid(cookie, client)).isTrue();
    assertThat(at(HEX.parseHex("445536bcd2513298075a5d379663c962"), 0x5cf7c579L).isValid(cookie, client)).isFalse();
  }

  @Test
  void rejectsACookieFromAnotherAddress() throws Exception {
    ServerCookies cookies = at(SECRET, 1559734385);

    assertThat(cookies.isValid(option("2464c4abcf10c957010000005cf79f111f8130c3eee29480"),
        InetAddress.getByName("198.51.100.101"))).isFalse();
  }

  @Test
  void keepsACookieAnHourAndFiveMinutesAheadButNoLonger() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.100");
    CookieOption issued = option("2464c4abcf10c957010000005cf79f111f8130c3eee29480"); // stamped 1559731985

    assertThat(at(SECRET, 1559731985 + 3600).isValid(issued, client)).isTrue();
    assertThat(at(SECRET, 1559731985 + 3601).isValid(issued, client)).isFalse();
    assertThat(at(SECRET, 1559731985 - 300).isValid(issued, client)).isTrue();
    assertThat(at(SECRET, 1559731985 - 301).isValid(issued, client)).isFalse();
  }

  @Test
  void countsTheLifetimeAcrossTheWrapOfTheTimestamp() throws Exception {
    InetAddress client = InetAddress.getByName("192.0.2.1");
    byte[] clientCookie = HEX.parseHex("0102030405060708");
    long beforeWrap = 0xFFFF_FFFFL - 100;
    byte[] server = at(SECRET, beforeWrap).issue(clientCookie, client);

    CookieOption cookie = new CookieOption(clientCookie, server);

    assertThat(at(SECRET, 0x1_0000_0000L + 1000).isValid(cookie, client)).isTrue();
  }

  @Test
  void issuesInPlaceTheCookieOfAppendixA1AgainAndAgainLeavingTheRestOfTheArray() throws Exception {
    ServerCookies cookies = at(SECRET, 1559731985);
    byte[] message = new byte[40];
    Arrays.fill(message, (byte) 0x5a);
    System.arraycopy(HEX.parseHex("2464c4abcf10c957"), 0, message, 3, 8);

    for (int i = 0; i < 3; i++) {
      cookies.issue(message, 3, InetAddress.getByName("198.51.100.100"), message, 11);

      assertThat(HEX.formatHex(message, 11, 27)).as("issue %d", i).isEqualTo("010000005cf79f111f8130c3eee29480");
    }
    assertThat(HEX.formatHex(message, 0, 3)).isEqualTo("5a5a5a");
    assertThat(HEX.formatHex(message, 27, 40)).isEqualTo("5a".repeat(13));
  }

  @Test
  void rejectsTheCookieOfAppendixA1WithAnyByteOfItsHashChanged() throws Exception {
    ServerCookies cookies = at(SECRET, 1559731985);
    InetAddress client = InetAddress.getByName("198.51.100.100");
    byte[] clientCookie = HEX.parseHex("2464c4abcf10c957");
    byte[] server = HEX.parseHex("010000005cf79f111f8130c3eee29480");
    assertThat(cookies.isValid(clientCookie, server, client)).isTrue();

    for (int i = 8; i < 16; i++) {
      byte[] changed = server.clone();
      changed[i] ^= 0x01;
      assertThat(cookies.isValid(clientCookie, changed, client)).as("hash byte %d changed", i).isFalse();
    }
  }

  @Test
  void checksInPlaceTheCookiesOfAppendixA2AtAnyOffsetLeavingTheArray() throws Exception {
    ServerCookies cookies = at(SECRET, 1559734385);
    InetAddress client = InetAddress.getByName("198.51.100.100");
    byte[] message = new byte[40];
    Arrays.fill(message, (byte) 0x5a);
    System.arraycopy(HEX.parseHex("2464c4abcf10c957010000005cf79f111f8130c3eee29480"), 0, message, 5, 24);
    byte[] before = message.clone();

    boolean valid = cookies.isValid(message, 5, message, 13, client);
    message[13 + 15] ^= 0x01;
    boolean validWithItsLastByteChanged = cookies.isValid(message, 5, message, 13, client);
    message[13 + 15] ^= 0x01;

    assertThat(valid).isTrue();
    assertThat(validWithItsLastByteChanged).isFalse();
    assertThat(message).isEqualTo(before);
  }

  @Test
  void manyServersOnOneThreadEachIssueAndCheckWithTheirOwnSecret() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.100");
    byte[] clientCookie = HEX.parseHex("2464c4abcf10c957");
    List<ServerCookies> servers = new ArrayList<>();
    List<byte[]> issued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] secret = SECRET.clone();
      secret[0] = (byte) i;
      servers.add(at(secret, 1559731985));
      issued.add(at(secret, 1559731985).issue(clientCookie, client)); // each from a server of its own
    }

    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < servers.size(); i++) {
        ServerCookies server = servers.get(i);
        assertThat(server.issue(clientCookie, client)).as("server %d", i).isEqualTo(issued.get(i));
        assertThat(server.isValid(clientCookie, issued.get(i), client)).as("server %d", i).isTrue();
        assertThat(server.isValid(clientCookie, issued.get((i + 1) % servers.size()), client))
            .as("server %d, its neighbour's cookie", i).isFalse();
      }
    }
  }

  @Test
  void serversStartedAndUsedTakeNoIndexOfNettysThreadLocalMaps() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.100");
    byte[] clientCookie = HEX.parseHex("2464c4abcf10c957");
    ServerCookies.withRandomSecret().issue(clientCookie, client);
    int lastIndex = InternalThreadLocalMap.lastVariableIndex();

    for (int i = 0; i < 100; i++) {
      ServerCookies.withRandomSecret().issue(clientCookie, client);
    }

    assertThat(InternalThreadLocalMap.lastVariableIndex()).isEqualTo(lastIndex);
  }

  @Test
  void rejectsAnUnknownVersion() throws Exception {
    byte[] cookie = HEX.parseHex("2464c4abcf10c957010000005cf79f111f8130c3eee29480");
    cookie[8] = 2;

    assertThat(at(SECRET, 1559731985).isValid(option(HEX.formatHex(cookie)), InetAddress.getByName("198.51.100.100")))
        .isFalse();
  }

  @Test
  void issuesCookiesOfTheLengthsThePlainQueryReaderTakesAsClientAndServerCookie() throws Exception {
    byte[] clientCookie = HEX.parseHex("2464c4abcf10c957");
    InetAddress client = InetAddress.getByName("198.51.100.100");
    ServerCookies cookies = at(SECRET, 1559731985);
    byte[] server = cookies.issue(clientCookie, client);
    Message query = Message.newQuery(Record.newRecord(Name.fromString("example."), Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(new CookieOption(clientCookie, server))),
        Section.ADDITIONAL);

    PlainQuery read = PlainQuery.read(Unpooled.wrappedBuffer(query.toWire()));

    assertThat(clientCookie).hasSize(CookieLengths.CLIENT);
    assertThat(server).hasSize(CookieLengths.SERVER);
    assertThat(read).isNotNull();
    assertThat(read.hasServerCookie()).isTrue();
    assertThat(read.serverCookiePasses(cookies, client)).as("checked in place").isTrue();
  }

  private static ServerCookies at(byte[] secret, long epochSecond) {
    return new ServerCookies(secret, Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }

  private static CookieOption option(String hex) {
    byte[] bytes = HEX.parseHex(hex);
    return new CookieOption(Arrays.copyOf(bytes, 8), Arrays.copyOfRange(bytes, 8, bytes.length));
  }
}
