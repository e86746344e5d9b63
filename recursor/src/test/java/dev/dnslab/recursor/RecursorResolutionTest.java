package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The recursor against the real lab zones, served by real authority servers on loopback. */
class RecursorResolutionTest {
  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).emptyCacheBeforeEach();

  @Test
  void resolvesWwwGoogleComFromTheRoot() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(Dig.answerWithoutTtl(response)).containsExactly("www.google.com. A " + web());
  }

  @Test
  void answersACacheHitAsTheMissBeforeItInTheClientsOwnLetterCase() throws Exception {
    Message miss = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);
    // The hit's outcome is ready at once and answered on the spot: the same response, spelled
    // as this client spelled it (RFC 1034 3.1; 0x20 stubs compare it), TTLs only counted down.
    Message hit = Dig.query(recursor.server().dnsAddress(), "WwW.gOoGlE.cOm.", Type.A);

    assertThat(hit.getRcode()).isEqualTo(miss.getRcode());
    assertThat(hit.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(Dig.answerWithoutTtl(hit)).isEqualTo(Dig.answerWithoutTtl(miss));
    assertThat(hit.getSection(Section.ANSWER)).allSatisfy(record -> {
      assertThat(record.getName().toString()).isEqualTo("WwW.gOoGlE.cOm.");
      assertThat(record.getTTL()).isLessThanOrEqualTo(miss.getSection(Section.ANSWER).get(0).getTTL());
    });
  }

  @Test
  void resolvesWwwExampleCoKrThroughKrAndCoKr() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "www.example.co.kr.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(response)).containsExactly("www.example.co.kr. A " + web());
  }

  @Test
  void followsCnameIntoAnotherZone() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "www.naver.com.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(response)).containsExactly(
        "www.naver.com. CNAME www.naver.com.nheos.com.",
        "www.naver.com.nheos.com. A " + web());
    assertThat(response.getSection(Section.ANSWER).get(0).getType()).isEqualTo(Type.CNAME);
  }

  @Test
  void followsCnameInsideOneZone() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "mail.google.com.", Type.A);

    assertThat(Dig.answerWithoutTtl(response)).containsExactly(
        "googlemail.l.google.com. A " + web(),
        "mail.google.com. CNAME googlemail.l.google.com.");
  }

  @Test
  void answersWildcardNames() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "anything.blog.example.co.kr.", Type.A);

    assertThat(Dig.answerWithoutTtl(response)).containsExactly("anything.blog.example.co.kr. A " + web());
  }

  @Test
  void cachesNxdomainWithTheSoaTtl() throws Exception {
    Message first = Dig.query(recursor.server().dnsAddress(), "nosuch.google.com.", Type.A);

    assertThat(first.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    SOARecord soa = (SOARecord) first.getSection(Section.AUTHORITY).get(0);
    assertThat(soa.getName().toString()).isEqualTo("google.com.");
    assertThat(soa.getTTL()).isLessThanOrEqualTo(60);
    assertThat(recursor.server().cache().negative(org.xbill.DNS.Name.fromString("nosuch.google.com."), Type.AAAA))
        .as("NXDOMAIN covers every type (RFC 2308 5)").isNotNull();
    double before = hits();
    Message second = Dig.query(recursor.server().dnsAddress(), "nosuch.google.com.", Type.MX);
    assertThat(second.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(hits() - before).isGreaterThanOrEqualTo(1);
  }

  @Test
  void cachesNodataNegatively() throws Exception {
    // HTTPS (type 65, RFC 9460): browsers ask it beside A and AAAA; www.google.com has none.
    Message first = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.HTTPS);

    assertThat(first.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(first.getSection(Section.ANSWER)).isEmpty();
    assertThat(first.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    double before = hits();
    Message second = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.HTTPS);
    assertThat(second.getSection(Section.ANSWER)).isEmpty();
    assertThat(hits()).isEqualTo(before + 1);
  }

  @Test
  void countsTtlDownOnCachedAnswers() throws Exception {
    long first = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A).getSection(Section.ANSWER).get(0).getTTL();
    assertThat(first).isEqualTo(300);

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    long later = first;
    while (later == first && System.nanoTime() < deadline) {
      later = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A).getSection(Section.ANSWER).get(0).getTTL();
    }
    assertThat(later).isLessThan(first).isGreaterThan(first - 5);
  }

  @Test
  void answersOverTcpToo() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A, true, null);

    assertThat(Dig.answerWithoutTtl(response)).containsExactly("www.google.com. A " + web());
  }

  @Test
  void walksRootTldAuthoritativeInTheTrace() throws Exception {
    var trace = recursor.server().resolver().trace(org.xbill.DNS.Name.fromString("www.google.com."), Type.A).get();

    assertThat(trace.rcode()).isEqualTo("NOERROR");
    List<String> walk = new ArrayList<>();
    trace.steps().forEach(step -> walk.add(step.server().role() + " " + step.reply()));
    assertThat(walk).containsExactly("root REFERRAL", "tld REFERRAL", "authoritative ANSWER");
    assertThat(trace.steps().get(0).question().name()).isEqualToIgnoringCase("com.");
    assertThat(trace.steps().get(0).server().name()).isEqualTo("a.root-servers.net.");
  }

  @Test
  void asksTheFullNameEverywhereWithoutQnameMinimisation() throws Exception {
    try (RecursorServer plain = new RecursorServer(recursor.lab().recursorConfig().qnameMinimisation(false).build()).start()) {
      var trace = plain.resolver().trace(org.xbill.DNS.Name.fromString("www.example.co.kr."), Type.A).get();

      assertThat(trace.steps()).extracting(step -> step.question().name().toLowerCase())
          .containsOnly("www.example.co.kr.");
      assertThat(trace.steps()).extracting(step -> step.reply())
          .containsExactly("REFERRAL", "REFERRAL", "ANSWER");
    }
  }

  @Test
  void minimisesTheNameAskedOfEachServer() throws Exception {
    var trace = recursor.server().resolver().trace(org.xbill.DNS.Name.fromString("www.example.co.kr."), Type.A).get();

    assertThat(trace.steps()).extracting(step -> step.question().name().toLowerCase() + " " + step.question().type())
        .containsExactly("kr. A", "co.kr. A", "example.co.kr. A", "www.example.co.kr. A");
  }

  @Test
  void tracesWhatTheIteratorDoesAfterEachReply() throws Exception {
    // Each step's note, as /trace and the console show it (letter case aside: 0x20): what the
    // iterator does after that reply (RFC 1034 5.3.3, RFC 9156 2.3 for the shortened names).
    var example = recursor.server().resolver().trace(org.xbill.DNS.Name.fromString("www.example.co.kr."), Type.A).get();
    var naver = recursor.server().resolver().trace(org.xbill.DNS.Name.fromString("www.naver.com."), Type.A).get();

    assertThat(example.steps()).extracting(step -> step.note().toLowerCase()).containsExactly(
        "referral to kr.", "no zone cut at co.kr.: one more label", "referral to example.co.kr.", "answer");
    assertThat(naver.steps()).extracting(step -> step.note().toLowerCase()).containsExactly(
        "referral to com.", "referral to naver.com.", "cname: restarting with www.naver.com.nheos.com.",
        "referral to com.", "referral to nheos.com.", "no zone cut at com.nheos.com.: one more label",
        "no zone cut at naver.com.nheos.com.: one more label", "answer");
  }

  @Test
  void answersNonRecursiveQueriesFromTheCacheOnly() throws Exception {
    Message cold = norec("www.google.com.");
    Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);
    Message warm = norec("www.google.com.");

    assertThat(cold.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(Dig.answerWithoutTtl(warm)).containsExactly("www.google.com. A " + web());
  }

  private static Message norec(String name) throws Exception {
    return Dig.queryWithoutRecursion(recursor.server().dnsAddress(), name);
  }

  @Test
  void answersManyConcurrentColdQueries() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<Message>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String name = (i % 2 == 0 ? "n" + i + ".google.com." : "www.naver.com.");
        replies.add(pool.submit(() -> Dig.query(recursor.server().dnsAddress(), name, Type.A)));
      }
      for (int i = 0; i < replies.size(); i++) {
        Message reply = replies.get(i).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(reply.getRcode()).isEqualTo(i % 2 == 0 ? Rcode.NXDOMAIN : Rcode.NOERROR);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The lab web server's address in this test's network (zone files say 127.53.0.80). */
  private static String web() {
    return recursor.lab().plan().address(dev.dnslab.core.lab.LabRole.WEB).getHostAddress();
  }

  private static double hits() {
    return recursor.server().registry().counter(CacheMetrics.LOOKUPS, "role", RecursorServer.ROLE, "result", "hit").count();
  }
}
