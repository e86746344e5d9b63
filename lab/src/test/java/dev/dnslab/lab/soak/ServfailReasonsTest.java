package dev.dnslab.lab.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.dnslab.lab.soak.SoakLoad.Question;
import dev.dnslab.lab.soak.SoakLoad.Servfail;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The soak's SERVFAIL reasons, from the lines the resolvers really write. */
class ServfailReasonsTest {
  @Test
  void explainsEachServfailByItsEdeOrTheResolversLogLine() {
    SoakLoad.Tally tally = new SoakLoad.Tally();
    tally.servfails.add(new Servfail("recursor", question("www.google.com.", Type.A), null));
    tally.servfails.add(new Servfail("unbound", question("soak-1f.example.org.", Type.AAAA), null));
    tally.servfails.add(new Servfail("unbound", question("naver.com.", Type.MX), "EDE 22: No Reachable Authority"));
    tally.servfails.add(new Servfail("recursor", question("example.org.", Type.TXT), null));

    tally.explainServfails(
        // Resolution's DEBUG line in the soak lab's logback pattern
        List.of("12:00:00.123 DEBUG [dns-1] d.d.r.i.Resolution - SERVFAIL for www.google.com./A: no server of google.com. answered"),
        // Unbound 1.17 with log-servfail: yes
        List.of("[1796299243] unbound[13544:0] error: SERVFAIL <soak-1f.example.org. AAAA IN>: exceeded the maximum number of sends"));

    assertThat(tally.servfailReasons).containsOnly(
        entry("recursor: log: no server of google.com. answered", 1L),
        entry("unbound: log: exceeded the maximum number of sends", 1L),
        entry("unbound: EDE 22: No Reachable Authority", 1L),
        entry("recursor: unexplained", 1L));
  }

  private static Question question(String name, int type) {
    return new Question(Name.fromConstantString(name), type);
  }
}
