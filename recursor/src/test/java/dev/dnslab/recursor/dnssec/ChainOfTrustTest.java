package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.transport.Timers;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/** The chain of trust's answers without a walk: what the key cache already proves (RFC 4035 5.2). */
class ChainOfTrustTest {
  private static SignedLabAuthorities lab;

  @BeforeAll
  static void signLab() throws Exception {
    lab = SignedLabAuthorities.shared();
  }

  @Test
  void knowsAnInsecureCutAtOnceOnlyOnceAWalkHasProvenIt() throws Exception {
    ChainOfTrust chain = chain(lab.anchors());
    Name www = Name.fromConstantString("www.example.org.");
    assertThat(chain.knownInsecure(www)).isNull();

    ZoneTrust walked = chain.trustFor(www, budget()).get(10, TimeUnit.SECONDS);

    assertThat(walked).isInstanceOf(ZoneTrust.Insecure.class);
    assertThat(chain.knownInsecure(Name.fromConstantString("x.miss.example.org."))).isSameAs(walked);
    assertThat(chain.knownInsecure(Name.fromConstantString("example.org."))).isSameAs(walked);
  }

  @Test
  void knowsNothingAtOnceInsideASecureZone() throws Exception {
    ChainOfTrust chain = chain(lab.anchors());
    Name www = Name.fromConstantString("www.google.com.");

    ZoneTrust walked = chain.trustFor(www, budget()).get(10, TimeUnit.SECONDS);

    assertThat(walked).isInstanceOf(ZoneTrust.Secure.class);
    assertThat(chain.knownInsecure(www)).isNull();
    assertThat(chain.knownInsecure(Name.fromConstantString("org."))).isNull();
  }

  @Test
  void knowsNamesBelowNoTrustAnchorInsecureAtOnce() {
    DSRecord elsewhere = new DSRecord(Name.fromConstantString("example."), DClass.IN, 3600, 1, 13, 2, new byte[32]);
    ChainOfTrust chain = chain(TrustAnchors.of(List.of(elsewhere)));

    ZoneTrust.Insecure trust = chain.knownInsecure(Name.fromConstantString("www.google.com."));

    assertThat(trust).isNotNull();
    assertThat(trust.verdict().reason()).contains("no trust anchor");
  }

  private static ChainOfTrust chain(TrustAnchors anchors) {
    ValidationLimits limits = ResolutionLimits.DEFAULT.validation();
    return new ChainOfTrust(anchors, lab, new KeyCache(limits, Clock.systemUTC()), new VerifiedSignatures(), limits,
        Clock.systemUTC(), Timers.GLOBAL);
  }

  private static WorkBudget budget() {
    return new WorkBudget(ResolutionLimits.DEFAULT.validation());
  }
}
