package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.dnslab.core.cookie.CookieOptions;
import dev.dnslab.core.cookie.ServerCookieHandler;
import dev.dnslab.core.cookie.ServerCookies;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.fault.RcodeFault;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.wire.PlainQuery;
import dev.dnslab.core.wire.ResponseSizeLimit;
import dev.dnslab.testing.DnsStreamFrame;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.testing.RawDns;
import dev.dnslab.core.wire.TemplatedResponse;
import io.micrometer.core.instrument.Counter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Answers from the rendered-once templates ({@code AnswerCache}), patched straight into the
 * datagram's buffer, and finished on the spot by handlers that see their stage already complete
 * ({@code ReadyStage}), are byte for byte what the slow paths give: one signed lab server answers
 * every query three times over real UDP and TCP sockets, from its templates, with an interceptor
 * that forces dnsjava to render, and with one that completes the stage later on another thread,
 * and the answers must be identical, each counted once in {@code dns.responses}. The shortcut past
 * the chain ({@link TemplateShortcut}) must write those same bytes and counts, and stay out of the
 * way of rate limiting, interceptors and the query log.
 */
class TemplatedAnswerTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 53000);
  private static final byte[] SECRET = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final Clock STOPPED = Clock.fixed(java.time.Instant.parse("2026-12-06T10:00:00Z"), java.time.ZoneOffset.UTC);
  @TempDir static Path keyDir;
  static final RenderSwitch renderSwitch = new RenderSwitch();
  static AuthorityFixture server;

  @BeforeAll
  static void start() throws Exception {
    DnssecSigning signing = SignedLabServers.signing(keyDir, Clock.systemUTC(), SignatureWindow.DEFAULT);
    List<Path> sources = List.of(
        AuthorityFixture.labZones("root"), AuthorityFixture.labZones("tld"), AuthorityFixture.labZones("authoritative"));
    server = AuthorityFixture.start(AuthorityFixture.config("authoritative-ns", sources).toBuilder()
        .dnssec(signing).interceptors(List.of(renderSwitch)).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Every question asked with and without EDNS, DO, options and a version we do not speak. */
  private static List<byte[]> queries() throws Exception {
    List<byte[]> queries = new ArrayList<>();
    String[][] questions = {
      {"www.google.com.", "A"}, {"WwW.gOoGlE.cOm.", "A"}, {"google.com.", "NS"}, {"GOOGLE.COM.", "MX"},
      {"nosuch.google.com.", "A"}, {"NoSuch.Google.Com.", "TXT"}, {"ipv6.google.com.", "A"},
      {"mail.google.com.", "A"}, {"www.naver.com.", "A"}, {"www.example.co.kr.", "A"}, {"com.", "NS"},
      {"google.com.", "DNSKEY"}, {"Google.Com.", "SOA"}, {"www.google.com.", "ANY"},
    };
    int id = 4700;
    for (String[] question : questions) {
      Record q = Record.newRecord(Name.fromString(question[0]), Type.value(question[1]), DClass.IN);
      queries.add(query(id++, q, null)); // no EDNS: a 512-byte limit
      queries.add(query(id++, q, new OPTRecord(1232, 0, 0)));
      queries.add(query(id++, q, new OPTRecord(4096, 0, 0, ExtendedFlags.DO)));
      // DO with the classic size: signed answers that do not fit take dnsjava's truncation.
      queries.add(query(id++, q, new OPTRecord(512, 0, 0, ExtendedFlags.DO)));
      // An option we do not know is ignored (RFC 6891 6.1.2), and an EDNS version we do not speak
      // gets BADVERS (6.1.3).
      queries.add(query(id++, q, new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(new GenericEDNSOption(65001, new byte[] {1})))));
      queries.add(query(id++, q, new OPTRecord(1232, 0, 1, 0)));
    }
    return queries;
  }

  @Test
  void answersFromTemplatesExactlyAsDnsjavaRendersThem() throws Exception {
    List<byte[]> queries = queries();
    for (byte[] query : queries) {
      renderSwitch.path = AnswerPath.TEMPLATE;
      int templatedBefore = renderSwitch.templated.get();
      byte[] fromTemplateUdp = overUdp(query);
      byte[] fromTemplateTcp = overTcp(query);
      String what = new Message(query).getQuestion() + " " + new Message(query).getOPT()
          + (renderSwitch.templated.get() > templatedBefore ? " (templated)" : "");
      for (AnswerPath slowPath : List.of(AnswerPath.RENDER, AnswerPath.LATER)) {
        renderSwitch.path = slowPath;
        assertThat(HexFormat.of().formatHex(overUdp(query))).as("udp " + slowPath + " " + what)
            .isEqualTo(HexFormat.of().formatHex(fromTemplateUdp));
        assertThat(HexFormat.of().formatHex(overTcp(query))).as("tcp " + slowPath + " " + what)
            .isEqualTo(HexFormat.of().formatHex(fromTemplateTcp));
      }
      assertThat(new Message(fromTemplateUdp).getHeader().getID()).isEqualTo(new Message(query).getHeader().getID());
      assertThat(new Message(fromTemplateUdp).getQuestion().getName().toString())
          .as("the client's spelling, 0x20").isEqualTo(new Message(query).getQuestion().getName().toString());
    }
    // The comparison is only worth something if the templates answered most of it.
    assertThat(renderSwitch.templated.get()).isGreaterThan(queries.size());
  }

  @Test
  void countsEachResponseOnceOnEveryPath() throws Exception {
    byte[] query = query(4711, Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN), new OPTRecord(1232, 0, 0));
    for (AnswerPath path : AnswerPath.values()) {
      renderSwitch.path = path;
      double before = responsesCounted();
      overUdp(query);
      overTcp(query);
      assertThat(responsesCounted() - before).as(path.toString()).isEqualTo(2.0);
    }
  }

  /**
   * The shortcut past the chain ({@link TemplateShortcut}) writes the very bytes the chain and the
   * encoder write, over UDP and TCP, for every spelling (0x20), OPT, DO, RD and CD, for answers and
   * NXDOMAIN alike, and counts each answer exactly as the chain's metrics handler does. The chain
   * here is the plain one over this class's signed zones; the chain answers each query first, which
   * renders the template the shortcut then uses.
   */
  @Test
  void shortcutAnswersByteForByteAsTheChainDoes() throws Exception {
    DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry(), "authoritative-ns");
    AuthorityPath path = AuthorityServer.path(metrics, server.server().servedZones(), plainConfig());
    HandlerChain chain = path.chain();
    TemplateShortcut shortcut = path.shortcut();
    assertThat(shortcut).as("the plain chain has a shortcut").isNotNull();
    QueryProcessor viaChain = new QueryProcessor(chain, metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP);
    QueryProcessor viaShortcut = new QueryProcessor(chain, metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP, shortcut);
    List<byte[]> queries = queries();
    int taken = 0;
    Set<Integer> rcodes = new HashSet<>();
    Set<Boolean> dnssecOk = new HashSet<>();
    // One reader for every query, as a socket's handler reads all its datagrams into one: what a
    // query leaves in it must never show in the next one's answer.
    PlainQuery reader = new PlainQuery();
    for (byte[] query : queries) {
      for (Transport transport : List.of(Transport.UDP, Transport.TCP)) {
        Map<String, Double> before = counters(metrics);
        byte[] expected = answer(viaChain, query, transport);
        Map<String, Double> countedByChain = difference(before, counters(metrics));
        before = counters(metrics);
        ByteBuf fast = viaShortcut.answerAtOnce(Unpooled.wrappedBuffer(query), reader, transport, CLIENT, PooledByteBufAllocator.DEFAULT);
        if (fast == null) {
          assertThat(counters(metrics)).as("nothing counted without an answer").isEqualTo(before);
          continue;
        }
        Message asked = new Message(query);
        String what = transport + " " + asked.getQuestion() + " " + asked.getOPT() + " rd=" + asked.getHeader().getFlag(Flags.RD);
        try {
          assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(fast))).as(what)
              .isEqualTo(HexFormat.of().formatHex(expected));
        } finally {
          fast.release();
        }
        assertThat(difference(before, counters(metrics))).as("counted as the chain counts: " + what)
            .isEqualTo(countedByChain);
        taken++;
        rcodes.add(new Message(expected).getRcode());
        dnssecOk.add(asked.getOPT() != null && (asked.getOPT().getFlags() & ExtendedFlags.DO) != 0);
      }
    }
    assertThat(taken).as("the shortcut answered most plain queries").isGreaterThan(queries.size());
    assertThat(rcodes).contains(Rcode.NOERROR, Rcode.NXDOMAIN);
    assertThat(dnssecOk).containsExactlyInAnyOrder(true, false);
  }

  /**
   * A query with a COOKIE option is answered by the shortcut when the cookie handler would only add
   * its cookie, a client cookie alone (RFC 7873 5.2.3) or with our server cookie (5.2.5): the very
   * bytes and counts ({@code dns.cookies} among them) the chain gives, with and without DO, over UDP
   * and TCP, answers that do not fit left to the chain's truncation. Server cookies come from one
   * secret and a stopped clock, so both ways issue the same one.
   */
  @Test
  void shortcutAnswersCookieQueriesByteForByteAsTheChainDoes() throws Exception {
    ServerCookies serverCookies = new ServerCookies(SECRET, STOPPED);
    DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry(), "authoritative-ns");
    AuthorityPath path = AuthorityServer.path(metrics, server.server().servedZones(), plainConfig(), serverCookies);
    QueryProcessor viaChain = new QueryProcessor(path.chain(), metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP);
    QueryProcessor viaShortcut =
        new QueryProcessor(path.chain(), metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP, path.shortcut());
    byte[] clientCookie = HexFormat.of().parseHex("0102030405060708");
    byte[] valid = serverCookies.issue(clientCookie, CLIENT.getAddress());
    PlainQuery reader = new PlainQuery();
    Set<String> taken = new HashSet<>();
    int id = 4800;
    for (String[] question : new String[][] {{"WwW.gOoGlE.cOm.", "A"}, {"NoSuch.Google.Com.", "TXT"}, {"google.com.", "DNSKEY"}}) {
      Record q = Record.newRecord(Name.fromString(question[0]), Type.value(question[1]), DClass.IN);
      for (int[] edns : new int[][] {{1232, 0}, {4096, ExtendedFlags.DO}, {512, ExtendedFlags.DO}}) {
        for (CookieOption cookie : List.of(new CookieOption(clientCookie), new CookieOption(clientCookie, valid))) {
          byte[] query = query(id++, q, new OPTRecord(edns[0], 0, 0, edns[1], List.<EDNSOption>of(cookie)));
          for (Transport transport : List.of(Transport.UDP, Transport.TCP)) {
            Map<String, Double> before = counters(metrics);
            byte[] expected = answer(viaChain, query, transport);
            Map<String, Double> countedByChain = difference(before, counters(metrics));
            assertThat(countedByChain.keySet()).anyMatch(meter -> meter.contains("name='" + ServerCookieHandler.COOKIES + "'"));
            before = counters(metrics);
            ByteBuf fast = viaShortcut.answerAtOnce(Unpooled.wrappedBuffer(query), reader, transport, CLIENT, PooledByteBufAllocator.DEFAULT);
            String what = transport + " " + q + " " + new Message(query).getOPT();
            if (fast == null) {
              assertThat(counters(metrics)).as("nothing counted without an answer: " + what).isEqualTo(before);
              assertThat(new Message(expected).getHeader().getFlag(Flags.TC)).as("only a truncated answer is left: " + what).isTrue();
              continue;
            }
            try {
              assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(fast))).as(what).isEqualTo(HexFormat.of().formatHex(expected));
            } finally {
              fast.release();
            }
            assertThat(difference(before, counters(metrics))).as("counted as the chain counts: " + what).isEqualTo(countedByChain);
            taken.add((cookie.getServerCookie().isPresent() ? "valid" : "client-only") + (edns[1] != 0 ? " do" : ""));
          }
        }
      }
    }
    assertThat(taken).containsExactlyInAnyOrder("client-only", "client-only do", "valid", "valid do");
  }

  /**
   * What the cookie handler answers otherwise, a server cookie that does not verify (BADCOOKIE over
   * UDP, RFC 7873 5.2.4: not ours, for another client cookie, stale), one of another length, or a
   * cookie beside another option, is left to the chain, and nothing is counted for it.
   */
  @Test
  void leavesOtherCookiesToTheChain() throws Exception {
    ServerCookies serverCookies = new ServerCookies(SECRET, STOPPED);
    DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry(), "authoritative-ns");
    AuthorityPath path = AuthorityServer.path(metrics, server.server().servedZones(), plainConfig(), serverCookies);
    QueryProcessor processor =
        new QueryProcessor(path.chain(), metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP, path.shortcut());
    byte[] clientCookie = HexFormat.of().parseHex("0102030405060708");
    byte[] forged = serverCookies.issue(clientCookie, CLIENT.getAddress());
    forged[15] ^= 1;
    byte[] otherClients = serverCookies.issue(HexFormat.of().parseHex("0102030405060709"), CLIENT.getAddress());
    byte[] stale = new ServerCookies(SECRET, Clock.offset(STOPPED, java.time.Duration.ofHours(-2))).issue(clientCookie, CLIENT.getAddress());
    Record www = Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN);
    // The chain answers a plain query first: the template is known, only the cookie can send a query to the chain.
    answer(processor, query(4900, www, new OPTRecord(1232, 0, 0)), Transport.UDP);
    ByteBuf plain = processor.answerAtOnce(Unpooled.wrappedBuffer(query(4901, www, new OPTRecord(1232, 0, 0))),
        new PlainQuery(), Transport.UDP, CLIENT, PooledByteBufAllocator.DEFAULT);
    assertThat(plain).as("the template is known").isNotNull();
    plain.release();

    List<List<EDNSOption>> chainsOwn = List.of(
        List.of(new CookieOption(clientCookie, forged)), List.of(new CookieOption(clientCookie, otherClients)),
        List.of(new CookieOption(clientCookie, stale)), List.of(new CookieOption(clientCookie, new byte[8])),
        List.of(new CookieOption(clientCookie), new GenericEDNSOption(65001, new byte[] {1})));
    for (List<EDNSOption> options : chainsOwn) {
      for (Transport transport : List.of(Transport.UDP, Transport.TCP)) {
        Map<String, Double> before = counters(metrics);
        ByteBuf fast = processor.answerAtOnce(Unpooled.wrappedBuffer(query(4902, www, new OPTRecord(1232, 0, 0, 0, options))),
            new PlainQuery(), transport, CLIENT, PooledByteBufAllocator.DEFAULT);
        assertThat(fast).as(transport + " " + options).isNull();
        assertThat(counters(metrics)).isEqualTo(before);
      }
    }
    byte[] badCookie = answer(processor, query(4903, www, new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(new CookieOption(clientCookie, forged)))), Transport.UDP);
    assertThat(new Message(badCookie).getRcode()).as("the chain's answer to a forged cookie").isEqualTo(Rcode.BADCOOKIE);
  }

  /**
   * Over real sockets to a plain server (random secret, real clock): the chain answers a cookie query
   * first, which renders the template; the shortcut answers the same query after it with the same
   * bytes (the server cookie's stamp and hash aside when a second passed in between), and the server
   * cookie it issued verifies when the client sends it back.
   */
  @Test
  void answersCookieQueriesOverRealSocketsAsTheChainDid() throws Exception {
    byte[] clientCookie = HexFormat.of().parseHex("1112131415161718");
    Record www = Record.newRecord(Name.fromString("Www.Google.Com."), Type.A, DClass.IN);
    try (AuthorityFixture plain = AuthorityFixture.start("authoritative-ns", List.of(AuthorityFixture.labZones("authoritative")))) {
      for (boolean tcp : new boolean[] {false, true}) {
        byte[] query = query(5000, www, new OPTRecord(1232, 0, 0, ExtendedFlags.DO, List.<EDNSOption>of(new CookieOption(clientCookie))));
        byte[] first = exchange(plain, query, tcp);
        byte[] next = exchange(plain, query, tcp);
        int stamp = next.length - 12; // the OPT is last, its cookie last in it: stamp (4) and hash (8) end the message
        if (!Arrays.equals(first, stamp, stamp + 4, next, stamp, stamp + 4)) {
          Arrays.fill(first, stamp, first.length, (byte) 0);
          Arrays.fill(next, stamp, next.length, (byte) 0);
        }
        assertThat(HexFormat.of().formatHex(next)).as(tcp ? "tcp" : "udp").isEqualTo(HexFormat.of().formatHex(first));

        byte[] issued = CookieOptions.of(new Message(exchange(plain, query, tcp))).getServerCookie().orElseThrow();
        byte[] returned = query(5001, www, new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(new CookieOption(clientCookie, issued))));
        Message again = new Message(exchange(plain, returned, tcp));
        assertThat(again.getRcode()).as("our own server cookie verifies").isEqualTo(Rcode.NOERROR);
        assertThat(again.getSection(Section.ANSWER)).isNotEmpty();
        assertThat(CookieOptions.of(again).getClientCookie()).isEqualTo(clientCookie);
      }
      assertThat(plain.server().registry().get(ServerCookieHandler.COOKIES).tag("result", "client-only").counter().count())
          .isEqualTo(6.0);
      assertThat(plain.server().registry().get(ServerCookieHandler.COOKIES).tag("result", "valid").counter().count())
          .isEqualTo(2.0);
    }
  }

  private static byte[] exchange(AuthorityFixture to, byte[] query, boolean tcp) throws Exception {
    if (!tcp) {
      byte[] answer = RawDns.udpExchange(to.address(), query, 3000);
      assertThat(answer).as("an answer over UDP").isNotNull();
      return answer;
    }
    try (Socket socket = RawDns.tcp(to.address(), 3000)) {
      DnsStreamFrame.write(new DataOutputStream(socket.getOutputStream()), query);
      return DnsStreamFrame.read(new DataInputStream(socket.getInputStream()));
    }
  }

  @Test
  void noShortcutPastRateLimitingOrInterceptors() {
    DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry(), "authoritative-ns");
    AuthorityZones zones = server.server().servedZones();
    AuthorityConfig rateLimited = plainConfig().toBuilder().rateLimit(ResponseRateLimit.DEFAULT).build();
    AuthorityConfig faulty = plainConfig().toBuilder()
        .interceptors(List.of(new RcodeFault(QueryMatch.ALL, Rcode.SERVFAIL, FaultListener.NONE))).build();

    assertThat(AuthorityServer.path(metrics, zones, rateLimited).shortcut()).isNull();
    assertThat(AuthorityServer.path(metrics, zones, faulty).shortcut()).isNull();
    // This class's own server, whose interceptor counts the templated answers it sees.
    assertThat(AuthorityServer.path(metrics, zones, server.server().config()).shortcut()).isNull();
  }

  @Test
  void noShortcutWhileEachQueryIsLogged() throws Exception {
    DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry(), "authoritative-ns");
    AuthorityPath path = AuthorityServer.path(metrics, server.server().servedZones(), plainConfig());
    QueryProcessor processor =
        new QueryProcessor(path.chain(), metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP, path.shortcut());
    byte[] query = query(4712, Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN), null);
    answer(processor, query, Transport.UDP);
    ByteBuf known = processor.answerAtOnce(Unpooled.wrappedBuffer(query), new PlainQuery(), Transport.UDP, CLIENT, PooledByteBufAllocator.DEFAULT);
    assertThat(known).as("answered by the shortcut while the query log is quiet").isNotNull();
    known.release();

    ch.qos.logback.classic.Logger queryLog =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dnslab.query.authoritative-ns");
    Level was = queryLog.getLevel();
    queryLog.setLevel(Level.DEBUG);
    try {
      assertThat(processor.answerAtOnce(Unpooled.wrappedBuffer(query), new PlainQuery(), Transport.UDP, CLIENT, PooledByteBufAllocator.DEFAULT))
          .isNull();
    } finally {
      queryLog.setLevel(was);
    }
  }

  private static AuthorityConfig plainConfig() {
    return server.server().config().toBuilder().interceptors(List.of()).build();
  }

  /** What the chain sends for {@code query}: the datagram over UDP, the (single) message over TCP. */
  private static byte[] answer(QueryProcessor processor, byte[] query, Transport transport) throws Exception {
    InetSocketAddress client = new InetSocketAddress("127.0.0.1", 53000);
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 53);
    if (transport == Transport.UDP) {
      CompletableFuture<ByteBuf> sent = new CompletableFuture<>();
      processor.processDatagram(query, client, local, PooledByteBufAllocator.DEFAULT, (datagram, to) -> sent.complete(datagram));
      ByteBuf wire = sent.get(5, TimeUnit.SECONDS);
      try {
        return ByteBufUtil.getBytes(wire);
      } finally {
        wire.release();
      }
    }
    List<byte[]> messages = processor.process(query, transport, client, local).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  /** Every counter of {@code metrics}, by name and tags. */
  private static Map<String, Double> counters(DnsMetrics metrics) {
    Map<String, Double> counts = new TreeMap<>();
    for (Meter meter : metrics.registry().getMeters()) {
      if (meter instanceof Counter counter) {
        counts.put(meter.getId().toString(), counter.count());
      }
    }
    return counts;
  }

  private static Map<String, Double> difference(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> grown = new TreeMap<>();
    after.forEach((meter, count) -> {
      double growth = count - before.getOrDefault(meter, 0.0);
      if (growth != 0) {
        grown.put(meter, growth);
      }
    });
    return grown;
  }

  private static double responsesCounted() {
    return server.server().registry().find(DnsMetrics.RESPONSES).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Test
  void seesAReloadedZoneAtTheNextQuery(@TempDir Path zones) throws Exception {
    Path zone = zones.resolve("google.com.zone");
    Files.copy(AuthorityFixture.labZones("authoritative").resolve("google.com.zone"), zone);
    try (AuthorityFixture reloading = AuthorityFixture.start("authoritative-ns", List.of(zones))) {
      SimpleResolver resolver = reloading.udp();
      Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
      for (int i = 0; i < 3; i++) { // the second and third come from the template
        assertThat(address(resolver.send(query))).isEqualTo("127.53.0.80");
      }

      String text = Files.readString(zone, StandardCharsets.UTF_8)
          .replace("2026112501 ; serial", "2026112502 ; serial")
          .replace("www            300     IN A     127.53.0.80", "www            300     IN A     127.53.0.81");
      Files.writeString(zone, text, StandardCharsets.UTF_8);
      reloading.server().reload();

      assertThat(address(resolver.send(query))).isEqualTo("127.53.0.81");
    }
  }

  private static String address(Message response) {
    return response.getSection(Section.ANSWER).stream().filter(ARecord.class::isInstance)
        .map(r -> ((ARecord) r).getAddress().getHostAddress()).findFirst().orElse("none");
  }

  /** A query with CD set, RD set when the ID is odd, and the given OPT record, or none, as wire bytes. */
  private static byte[] query(int id, Record question, OPTRecord opt) {
    Message query = new Message(id);
    query.getHeader().setFlag(Flags.CD);
    if (id % 2 == 1) {
      query.getHeader().setFlag(Flags.RD);
    }
    query.addRecord(question, Section.QUESTION);
    if (opt != null) {
      query.addRecord(opt, Section.ADDITIONAL);
    }
    return query.toWire();
  }

  private static byte[] overUdp(byte[] query) throws Exception {
    byte[] answer = RawDns.udpExchange(server.address(), query, 3000);
    assertThat(answer).as("an answer over UDP").isNotNull();
    return answer;
  }

  private static byte[] overTcp(byte[] query) throws Exception {
    try (Socket socket = RawDns.tcp(server.address(), 3000)) {
      DnsStreamFrame.write(new DataOutputStream(socket.getOutputStream()), query);
      return DnsStreamFrame.read(new DataInputStream(socket.getInputStream()));
    }
  }

  /** The way an answer takes through the server. */
  enum AnswerPath {
    /** From the template, every handler finishing at once: the fast path. */
    TEMPLATE,
    /** Rendered by dnsjava: the template no longer applies. */
    RENDER,
    /** Completed later on another thread, so every handler before chains a callback. */
    LATER
  }

  /**
   * An interceptor that sends each response down the {@link AnswerPath} asked for: RENDER touches it so
   * that its template no longer applies (setting the same header again), LATER hands it over to
   * another thread. It counts the templated responses it sees.
   */
  static final class RenderSwitch implements DnsHandler {
    volatile AnswerPath path = AnswerPath.TEMPLATE;
    final AtomicInteger templated = new AtomicInteger();

    @Override
    public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
      AnswerPath now = path;
      CompletionStage<Message> response = next.proceed(request).thenApply(answer -> {
        if (answer instanceof TemplatedResponse) {
          templated.incrementAndGet();
          if (now == AnswerPath.RENDER) {
            answer.setHeader(answer.getHeader());
          }
        }
        return answer;
      });
      return now == AnswerPath.LATER ? response.thenApplyAsync(answer -> answer, CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS)) : response;
    }
  }
}
