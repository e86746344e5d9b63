package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.recursor.handler.RenderedAnswers;
import dev.dnslab.testing.DnsStreamFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The rendered cache hits ({@link RenderedAnswers}) against the handler chain they stand in for,
 * over real UDP and TCP against the signed lab with validation on: for the very same query bytes
 * at the same second of the cache's clock, the shortcut's answer and the chain's (the shortcut is
 * passed by with the query log at DEBUG) are the same bytes and count the same metrics, and the
 * shortcut did answer (its count of answers given moved).
 */
class RenderedCacheHitsTest {
  /** The cache's clock, driven by the tests: whole seconds, as TTLs count. */
  private static final AtomicLong seconds = new AtomicLong(1_000_000);
  private static final InetAddress ALLOWED = loopback("127.0.0.1");
  private static final InetAddress DENIED = loopback("127.0.0.2");

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).signed()
      .clock((CacheClock) seconds::get)
      .configure(config -> config.allowedClients(List.of(Cidr.parse("127.0.0.1/32"))));

  @ParameterizedTest(name = "{7} {0} {1} edns={2} do={3} ad={4} cd={5} rd={6}")
  @CsvSource({
      // name (spelled as the client does), type, EDNS payload (-1: none), DO, AD, CD, RD, transport, shortcut
      "WwW.GooGle.CoM., A, -1, false, false, false, true, udp, true",
      "WwW.GooGle.CoM., A, -1, false, false, false, true, tcp, true",
      "www.GOOGLE.com., A, 1232, true, false, false, true, udp, true",
      "www.GOOGLE.com., A, 1232, true, false, false, true, tcp, true",
      "wWw.google.com., AAAA, 1232, false, true, false, true, udp, true",
      "wWw.google.com., AAAA, 4096, false, false, false, true, tcp, true",
      // a CNAME within the zone, and one across zones into an unsigned one (insecure: no AD)
      "MAIL.google.com., A, 1232, true, false, false, true, udp, true",
      "Mail.Google.Com., A, -1, false, true, false, true, tcp, true",
      "WWW.naver.com., A, 1232, true, false, false, true, udp, true",
      "www.Naver.com., AAAA, -1, false, false, false, true, tcp, true",
      // NXDOMAIN and NODATA, with the SOA's negative TTL and, with DO, the proofs
      "NoSuch.google.com., A, 1232, true, false, false, true, udp, true",
      "nosuch.GOOGLE.com., A, -1, false, false, false, true, tcp, true",
      "www.google.COM., TXT, 1232, true, true, false, true, udp, true",
      "www.google.COM., TXT, 1232, false, false, false, true, tcp, true",
      "WWW.Example.ORG., A, 1232, false, true, false, true, udp, true",
      // CD with validation on takes the unvalidated path, RD clear the cache-only one: the chain's
      "www.google.com., A, 1232, true, false, true, true, udp, false",
      "www.google.com., A, -1, false, false, false, false, udp, false"})
  void answersAHitAsTheChainDoesByteForByteAndCountsTheSame(String name, String type, int payload,
      boolean dnssecOk, boolean ad, boolean cd, boolean rd, String transport, boolean shortcut) throws Exception {
    byte[] query = query(4711, name, Type.value(type), payload, dnssecOk, ad, cd, rd);
    boolean tcp = transport.equals("tcp");
    warm(name, Type.value(type), payload, dnssecOk, ad, cd, rd, tcp);

    Answered fast = answer(query, tcp);
    Answered chain = withQueriesLogged(() -> answer(query, tcp));

    assertThat(hex(fast.wire)).as("the shortcut's answer is the chain's").isEqualTo(hex(chain.wire));
    assertThat(fast.counted).as("counted as the chain counts").isEqualTo(chain.counted);
    assertThat(fast.given).as("answered by the shortcut").isEqualTo(shortcut ? 1 : 0);
    assertThat(chain.given).as("the chain answered").isZero();
    Message response = new Message(fast.wire);
    assertThat(response.getQuestion().getName().toString()).as("the client's spelling").isEqualTo(name);
  }

  @Test
  void countsTheTtlsDownAsTheCacheAgesAndLetsTheChainAnswerOnceTheyRunOut() throws Exception {
    byte[] query = query(7, "Www.Google.Com.", Type.A, 1232, true, false, false, true);
    warm("www.google.com.", Type.A, 1232, true, false, false, true, false);
    Answered rendered = answer(query, false);
    long ttl = firstTtl(rendered.wire);
    assertThat(rendered.given).isEqualTo(1);

    seconds.addAndGet(100);
    Answered later = answer(query, false);
    Answered chainLater = withQueriesLogged(() -> answer(query, false));

    assertThat(later.given).as("still answered by the shortcut").isEqualTo(1);
    assertThat(firstTtl(later.wire)).isEqualTo(ttl - 100);
    assertThat(hex(later.wire)).isEqualTo(hex(chainLater.wire));
    assertThat(new Message(later.wire).getSection(Section.ANSWER))
        .allSatisfy(record -> assertThat(record.getTTL()).isLessThanOrEqualTo(ttl - 100));

    seconds.addAndGet(ttl - 100);
    Answered expired = answer(query, false);
    assertThat(expired.given).as("data past its TTL is not the chain's answer any more").isZero();
    assertThat(new Message(expired.wire).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(firstTtl(expired.wire)).as("fetched again").isGreaterThan(ttl - 100);
  }

  @Test
  void countsANegativeAnswersSoaTtlAndItsProofsDownAsTheCacheAges() throws Exception {
    // RFC 2308 5: the SOA of a cached NXDOMAIN is given with its TTL counted down, and so are the
    // NSEC3 records and RRSIGs proving it (RFC 4035 3.1.3); the RRSIGs' original TTL field is not.
    byte[] query = query(11, "NoSuch.Google.Com.", Type.A, 1232, true, false, false, true);
    warm("nosuch.google.com.", Type.A, 1232, true, false, false, true, false);
    Answered rendered = answer(query, false);
    assertThat(rendered.given).isEqualTo(1);
    List<Record> authority = new Message(rendered.wire).getSection(Section.AUTHORITY);
    assertThat(authority).anySatisfy(record -> assertThat(record.getType()).isEqualTo(Type.SOA));

    seconds.addAndGet(30);
    Answered later = answer(query, false);
    Answered chainLater = withQueriesLogged(() -> answer(query, false));

    assertThat(later.given).as("still answered by the shortcut").isEqualTo(1);
    assertThat(hex(later.wire)).as("the chain's answer 30 s later").isEqualTo(hex(chainLater.wire));
    List<Record> aged = new Message(later.wire).getSection(Section.AUTHORITY);
    assertThat(aged).hasSameSizeAs(authority);
    for (int i = 0; i < aged.size(); i++) {
      assertThat(aged.get(i).getTTL()).as(aged.get(i).toString()).isEqualTo(authority.get(i).getTTL() - 30);
    }
  }

  @Test
  void forgetsTheRenderedAnswerWhenTheCacheIsFlushed() throws Exception {
    byte[] query = query(8, "www.example.org.", Type.AAAA, -1, false, false, false, true);
    warm("www.example.org.", Type.AAAA, -1, false, false, false, true, false);
    assertThat(answer(query, false).given).isEqualTo(1);

    recursor.server().cache().flush(Name.fromString("www.example.org."));
    Answered afterFlush = answer(query, false);

    assertThat(afterFlush.given).as("resolved again by the chain").isZero();
    assertThat(new Message(afterFlush.wire).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(query, false).given).as("the chain's cache hit, rendered").isZero();
    assertThat(answer(query, false).given).as("rendered again from the new data").isEqualTo(1);
  }

  @Test
  void stillRefusesADeniedClientAnAnswerItKeepsRendered() throws Exception {
    byte[] query = query(9, "www.google.com.", Type.A, -1, false, false, false, true);
    warm("www.google.com.", Type.A, -1, false, false, false, true, false);
    assertThat(answer(query, false).given).isEqualTo(1);

    for (boolean tcp : new boolean[] {false, true}) {
      Answered refused = answer(query, tcp, DENIED);
      assertThat(new Message(refused.wire).getRcode()).as(tcp ? "tcp" : "udp").isEqualTo(Rcode.REFUSED);
      assertThat(refused.given).isZero();
    }
  }

  /**
   * A query whose OPT holds a COOKIE option (RFC 7873), which the authorities' reader now takes, is
   * still the chain's here: the shortcut gives nothing for it, though it has the answer rendered.
   */
  @Test
  void leavesAQueryWithACookieToTheChain() throws Exception {
    warm("www.google.com.", Type.A, 1232, false, false, false, true, false);
    assertThat(answer(query(13, "www.google.com.", Type.A, 1232, false, false, false, true), false).given).isEqualTo(1);
    Message withCookie = new Message(query(14, "www.google.com.", Type.A, -1, false, false, false, true));
    withCookie.addRecord(new OPTRecord(1232, 0, 0, 0,
        List.<org.xbill.DNS.EDNSOption>of(new org.xbill.DNS.CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))),
        Section.ADDITIONAL);

    for (boolean tcp : new boolean[] {false, true}) {
      Answered answered = answer(withCookie.toWire(), tcp);
      assertThat(answered.given).as(tcp ? "tcp" : "udp").isZero();
      assertThat(new Message(answered.wire).getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void leavesAnAnswerLargerThanTheClientsLimitToTheChainToTruncate() throws Exception {
    byte[] query = query(10, "nosuch.example.co.kr.", Type.A, 512, true, false, false, true);
    warm("nosuch.example.co.kr.", Type.A, 512, true, false, false, true, true);

    Answered udp = answer(query, false);
    Answered tcp = answer(query, true);

    assertThat(new Message(udp.wire).getHeader().getFlag(Flags.TC)).as("truncated by the chain").isTrue();
    assertThat(udp.given).isZero();
    assertThat(udp.wire.length).isLessThanOrEqualTo(512);
    assertThat(tcp.given).as("whole over TCP").isEqualTo(1);
    assertThat(tcp.wire.length).isGreaterThan(512);
  }

  @Test
  void countsWhatBecameOfTheRenderedAnswers() throws Exception {
    byte[] query = query(12, "WWW.example.org.", Type.A, -1, false, false, false, true);
    double keptBefore = rendered("kept");
    warm("www.example.org.", Type.A, -1, false, false, false, true, false);
    assertThat(rendered("kept") - keptBefore).as("the chain's hit, rendered").isPositive();

    double givenBefore = rendered("given");
    assertThat(answer(query, false).given).isEqualTo(1);
    assertThat(rendered("given") - givenBefore).isEqualTo(1);

    double changedBefore = rendered("changed");
    recursor.server().cache().flush(Name.fromString("www.example.org."));
    answer(query, false);
    assertThat(rendered("changed") - changedBefore).as("dropped when its data changed").isEqualTo(1);
  }

  @Test
  void keepsAnAnswerOnceWhileTheChainStillGivesTheSame() throws Exception {
    byte[] query = query(13, "www.naver.COM.", Type.A, -1, false, false, false, true);
    warm("www.naver.com.", Type.A, -1, false, false, false, true, false);

    double keptBefore = rendered("kept");
    Answered chain = withQueriesLogged(() -> answer(query, false));

    assertThat(chain.given).as("the chain answered").isZero();
    assertThat(rendered("kept") - keptBefore).as("the chain's hit, kept already, not rendered again").isZero();
  }

  @Test
  void sweepsAnAnswerWhoseDataLeftTheCacheBeforeItsQuestionComesAgainAndKeepsOneStillGood() throws Exception {
    byte[] gone = query(14, "Console.Example.Org.", Type.A, -1, false, false, false, true);
    byte[] good = query(15, "Example.Org.", Type.A, -1, false, false, false, true);
    warm("console.example.org.", Type.A, -1, false, false, false, true, false);
    warm("example.org.", Type.A, -1, false, false, false, true, false);
    assertThat(answer(gone, false).given).isEqualTo(1);
    assertThat(answer(good, false).given).isEqualTo(1);

    // Its data leaves the cache (as an eviction by the bound would take it), and then the cache
    // changes as often as a flood of new names changes it, each time elsewhere.
    recursor.server().cache().flush(Name.fromString("console.example.org."));
    Name churned = Name.fromString("churn.test.");
    assertThat(recursor.server().cache().changes().stripe(churned))
        .as("the churn moves another stripe than the good answer's")
        .isNotEqualTo(recursor.server().cache().changes().stripe(Name.fromString("example.org.")));
    int changes = Math.max(RenderedAnswers.MIN_SWEEP_CHANGES, recursor.server().renderedAnswers().size()) + 1;
    for (int i = 0; i < changes; i++) {
      recursor.server().cache().putPositive(new RRset(new ARecord(churned, DClass.IN, 300,
          InetAddress.getByAddress(new byte[] {127, 53, 0, (byte) i}))), CacheRank.ANSWER, Name.fromString("test."));
    }
    double sweptBefore = rendered("swept");
    withQueriesLogged(() -> answer(good, false)); // any query that reaches the chain sweeps when due

    assertThat(rendered("swept") - sweptBefore).as("swept before its question came again").isPositive();
    double changedBefore = rendered("changed");
    Answered again = answer(gone, false);
    assertThat(again.given).as("resolved again by the chain").isZero();
    assertThat(new Message(again.wire).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(rendered("changed") - changedBefore).as("not found dead at its lookup: gone already").isZero();
    assertThat(answer(good, false).given).as("the one still good is still given").isEqualTo(1);
  }

  /** {@code dns_recursor_rendered_answers_total{event}}. */
  private static double rendered(String event) {
    return recursor.server().registry().get(RecursorMetrics.RENDERED_ANSWERS).tag("event", event)
        .functionCounter().count();
  }

  /** Asks twice: the first may go upstream, the second is the chain's cache hit, which it keeps. */
  private static void warm(String name, int type, int payload, boolean dnssecOk, boolean ad, boolean cd,
      boolean rd, boolean tcp) throws Exception {
    byte[] query = query(1, name.toLowerCase(java.util.Locale.ROOT), type, payload, dnssecOk, ad, cd, true);
    answer(query, tcp);
    answer(query, tcp);
    if (!rd) {
      answer(query(1, name, type, payload, dnssecOk, ad, cd, false), tcp);
    }
  }

  private record Answered(byte[] wire, Map<String, Double> counted, long given) {}

  @FunctionalInterface
  private interface Exchange {
    Answered run() throws Exception;
  }

  /** The exchange with the query log at DEBUG: the shortcut then leaves every query to the chain. */
  private static Answered withQueriesLogged(Exchange exchange) throws Exception {
    ch.qos.logback.classic.Logger queryLog =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dnslab.query." + RecursorServer.ROLE);
    Level was = queryLog.getLevel();
    queryLog.setLevel(Level.DEBUG);
    try {
      return exchange.run();
    } finally {
      queryLog.setLevel(was);
    }
  }

  private static Answered answer(byte[] query, boolean tcp) throws Exception {
    return answer(query, tcp, ALLOWED);
  }

  private static Answered answer(byte[] query, boolean tcp, InetAddress from) throws Exception {
    Map<String, Double> before = counts();
    long givenBefore = recursor.server().renderedAnswers().given();
    byte[] wire = tcp ? overTcp(query, from) : overUdp(query, from);
    Map<String, Double> after = counts();
    Map<String, Double> counted = new TreeMap<>();
    after.forEach((meter, count) -> {
      double moved = count - before.getOrDefault(meter, 0.0);
      if (moved != 0) {
        counted.put(meter, moved);
      }
    });
    return new Answered(wire, counted, recursor.server().renderedAnswers().given() - givenBefore);
  }

  /**
   * Every counter, and every timer's and summary's count, by meter name and tags; but the upstream
   * work of resolutions, which the validator's key fetches started by the warming queries may
   * still be doing in the background, and which no cache hit does.
   */
  private static Map<String, Double> counts() {
    Map<String, Double> counts = new TreeMap<>();
    for (Meter meter : recursor.server().registry().getMeters()) {
      String name = meter.getId().getName();
      if (name.equals(RecursorMetrics.RESOLUTIONS) || name.equals(RecursorMetrics.REPLIES)
          || name.startsWith("dns.recursor.upstream")) {
        continue;
      }
      String id = meter.getId().getName() + meter.getId().getTags();
      if (meter instanceof Counter counter) {
        counts.put(id, counter.count());
      } else if (meter instanceof Timer timer) {
        counts.put(id, (double) timer.count());
      } else if (meter instanceof DistributionSummary summary) {
        counts.put(id, (double) summary.count());
      }
    }
    return counts;
  }

  private static byte[] query(int id, String name, int type, int payload, boolean dnssecOk, boolean ad, boolean cd,
      boolean rd) throws Exception {
    Message query = new Message(id);
    query.addRecord(Record.newRecord(Name.fromString(name), type, DClass.IN), Section.QUESTION);
    if (rd) {
      query.getHeader().setFlag(Flags.RD);
    }
    if (ad) {
      query.getHeader().setFlag(Flags.AD);
    }
    if (cd) {
      query.getHeader().setFlag(Flags.CD);
    }
    if (payload >= 0) {
      query.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return query.toWire();
  }

  private static byte[] overUdp(byte[] query, InetAddress from) throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
      socket.setSoTimeout(5_000);
      socket.send(new DatagramPacket(query, query.length, recursor.server().dnsAddress()));
      DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
      socket.receive(reply);
      return java.util.Arrays.copyOf(reply.getData(), reply.getLength());
    }
  }

  private static byte[] overTcp(byte[] query, InetAddress from) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(recursor.server().dnsAddress(), 5_000);
      socket.setSoTimeout(5_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DnsStreamFrame.write(out, query);
      out.flush();
      return DnsStreamFrame.read(new DataInputStream(socket.getInputStream()));
    }
  }

  private static long firstTtl(byte[] wire) throws Exception {
    return new Message(wire).getSection(Section.ANSWER).get(0).getTTL();
  }

  private static String hex(byte[] wire) {
    return HexFormat.of().formatHex(wire);
  }

  private static InetAddress loopback(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
