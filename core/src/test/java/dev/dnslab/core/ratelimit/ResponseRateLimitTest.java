package dev.dnslab.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.cookie.Dig;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.testing.UdpBurst;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Response rate limiting on a real authoritative server, with real UDP and TCP clients on loopback
 * addresses of different /24s (all of 127.0.0.0/8 is on lo). The server's rate-limit clock stands
 * still unless a test moves it, so no token comes back while a client is slow to start (dig on a
 * loaded machine takes more than the one second a token needs).
 */
class ResponseRateLimitTest {
  private static final int BURST = 20;
  private static final String WWW = "www.google.com.";

  private final AtomicLong clockNanos = new AtomicLong();
  private AuthorityServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void limitsABurstFromOneNetworkAndSlipsEverySecondLimitedAnswer() throws Exception {
    start(new ResponseRateLimit(1, 2, Duration.ofSeconds(1), List.of()));

    UdpBurst.Replies replies = UdpBurst.send("127.0.0.1", address(), queries(BURST, WWW), this::accountedFor);

    long limited = limited();
    assertThat(limited).as("one token and a clock that stands still: all but the first is limited").isEqualTo(BURST - 1);
    assertThat(replies.answers()).hasSize((int) (BURST - limited));
    assertThat(slipped()).as("every 2nd limited answer slips").isEqualTo(limited / 2);
    assertThat(replies.truncated()).hasSize((int) slipped());
    assertThat(replies.truncated()).allSatisfy(slip -> {
      assertThat(slip.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(slip.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(slip.getSection(Section.ANSWER)).isEmpty();
      assertThat(slip.getQuestion().getName()).isEqualTo(Name.fromString(WWW));
    });
  }

  @Test
  void dropsEveryLimitedAnswerWithSlipZero() throws Exception {
    start(new ResponseRateLimit(1, 0, Duration.ofSeconds(1), List.of()));

    UdpBurst.Replies replies = UdpBurst.send("127.0.0.1", address(), queries(BURST, WWW), this::accountedFor);

    assertThat(limited()).isEqualTo(BURST - 1);
    assertThat(replies.truncated()).isEmpty();
    assertThat(slipped()).isZero();
  }

  @Test
  void leavesAnotherNetworkUnaffected() throws Exception {
    start(new ResponseRateLimit(1, 2, Duration.ofSeconds(1), List.of()));
    UdpBurst.send("127.0.0.1", address(), queries(BURST, WWW), this::accountedFor);
    long limitedByTheFlood = limited();

    UdpBurst.Replies other = UdpBurst.send("127.0.1.1", address(), queries(1, WWW), r -> r.total() == 1);

    assertThat(other.answers()).singleElement().satisfies(answer -> assertThat(answer.getSection(Section.ANSWER)).isNotEmpty());
    assertThat(limited()).isEqualTo(limitedByTheFlood);
  }

  @Test
  void neverLimitsAnExemptNetwork() throws Exception {
    start(new ResponseRateLimit(1, 2, Duration.ofSeconds(1), List.of(Cidr.parse("127.0.2.0/24"))));

    UdpBurst.Replies replies = UdpBurst.send("127.0.2.1", address(), queries(BURST, WWW), r -> r.total() == BURST);

    assertThat(replies.answers()).hasSize(BURST);
    assertThat(limited()).isZero();
  }

  @Test
  void neverLimitsTcp() throws Exception {
    start(new ResponseRateLimit(1, 2, Duration.ofSeconds(1), List.of()));
    SimpleResolver tcp = new SimpleResolver(address());
    tcp.setTCP(true);
    tcp.setTimeout(Duration.ofSeconds(3));

    List<Message> answers = new ArrayList<>();
    for (Message query : queries(BURST, WWW)) {
      answers.add(tcp.send(query));
    }

    assertThat(answers).allSatisfy(answer -> {
      assertThat(answer.getHeader().getFlag(Flags.TC)).isFalse();
      assertThat(answer.getSection(Section.ANSWER)).isNotEmpty();
    });
    assertThat(limited()).isZero();
  }

  @Test
  void countsNxdomainsOfOneZoneInOneBucket() throws Exception {
    start(new ResponseRateLimit(1, 2, Duration.ofSeconds(1), List.of()));
    List<Message> randomNames = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      randomNames.addAll(queries(1, "nosuch" + i + ".google.com."));
    }

    UdpBurst.send("127.0.0.1", address(), randomNames, this::accountedFor);

    assertThat(limited()).as("a random-name flood is one zone's NXDOMAINs").isEqualTo(BURST - 1);
  }

  @Test
  void exemptsAClientWithAValidServerCookie() throws Exception {
    start(new ResponseRateLimit(1, 2, Duration.ofSeconds(1), List.of()));
    byte[] clientCookie = {1, 2, 3, 4, 5, 6, 7, 8};
    Message learned = UdpBurst.send("127.0.3.1", address(), List.of(withCookie(queries(1, WWW).get(0),
        new CookieOption(clientCookie))), r -> r.total() == 1).answers().get(0);
    CookieOption serverCookie = cookieOf(learned);

    UdpBurst.Replies replies = UdpBurst.send("127.0.3.1", address(),
        queries(BURST, WWW).stream().map(q -> withCookie(q, serverCookie)).toList(), r -> r.total() == BURST);

    assertThat(replies.answers()).hasSize(BURST);
    assertThat(limited()).isZero();
  }

  @Test
  void limitsBadcookieAnswersToForgedServerCookiesLikeAnyOther() throws Exception {
    start(new ResponseRateLimit(1, 2, Duration.ofSeconds(1), List.of()));
    CookieOption forged = new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8},
        new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9});

    UdpBurst.Replies replies = UdpBurst.send("127.0.0.1", address(),
        queries(BURST, WWW).stream().map(q -> withCookie(q, forged)).toList(), this::accountedFor);

    assertThat(limited()).isEqualTo(BURST - 1);
    assertThat(replies.answers()).allSatisfy(answer -> assertThat(answer.getRcode()).isEqualTo(Rcode.BADCOOKIE));
  }

  @Test
  void digRetriesOverTcpWhenItsAnswerSlips() throws Exception {
    start(new ResponseRateLimit(1, 1, Duration.ofSeconds(1), List.of()));
    UdpBurst.send("127.0.0.1", address(), queries(BURST, WWW), this::accountedFor);

    String output = Dig.ask(address(), "-b", "127.0.0.1", "+norec", WWW);

    assertThat(output).contains("Truncated, retrying in TCP mode").contains("status: NOERROR").contains("127.53.0.80");
    assertThat(slipped()).as("the burst's limited answers and dig's own").isEqualTo(limited()).isEqualTo(BURST);
  }

  @Test
  void refillsOneTokenPerSecondOfItsClock() throws Exception {
    start(new ResponseRateLimit(1, 0, Duration.ofSeconds(1), List.of()));
    UdpBurst.send("127.0.0.1", address(), queries(BURST, WWW), this::accountedFor);
    long limitedBefore = limited();

    clockNanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    UdpBurst.Replies afterASecond = UdpBurst.send("127.0.0.1", address(), queries(2, WWW),
        r -> r.answers().size() + limited() - limitedBefore == 2);

    assertThat(afterASecond.answers()).as("one token back after one second, not two").hasSize(1);
    assertThat(limited()).isEqualTo(BURST);
  }

  // ---- helpers ----

  private boolean accountedFor(UdpBurst.Replies replies) {
    return replies.answers().size() + limited() == BURST && replies.truncated().size() == slipped();
  }

  private void start(ResponseRateLimit rateLimit) throws Exception {
    AuthorityConfig config = AuthorityFixture.config("authoritative-ns", List.of(AuthorityFixture.labZones("authoritative")))
        .toBuilder().rateLimit(rateLimit).rateLimitClock(clockNanos::get).build();
    server = new AuthorityServer(config).start();
  }

  private InetSocketAddress address() {
    return server.dnsAddress();
  }

  private long limited() {
    return (long) server.registry().get(ResponseRateLimitHandler.LIMITED).counter().count();
  }

  private long slipped() {
    return (long) server.registry().get(ResponseRateLimitHandler.SLIPPED).counter().count();
  }

  static List<Message> queries(int count, String name) throws Exception {
    List<Message> queries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
      query.getHeader().unsetFlag(Flags.RD);
      queries.add(query);
    }
    return queries;
  }

  static Message withCookie(Message query, EDNSOption cookie) {
    Message copy = query.clone();
    copy.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(cookie)), Section.ADDITIONAL);
    return copy;
  }

  static CookieOption cookieOf(Message response) {
    return response.getOPT().getOptions().stream().filter(CookieOption.class::isInstance)
        .map(CookieOption.class::cast).findFirst().orElseThrow();
  }
}
