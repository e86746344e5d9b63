package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.fault.DsMismatchFault;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.trace.TraceDnssec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The validator's own results through this branch's two consumers, as the recursor will connect
 * them: {@link TraceDnssec#of} for {@code /trace} (and so visit and the console), and the
 * aggressive negative cache learning from the verdicts it gives.
 */
class ValidatorSeamTest {
  private static SignedLabAuthorities lab;

  @BeforeAll
  static void signLab() throws Exception {
    lab = SignedLabAuthorities.shared();
  }

  @Test
  void traceShowsTheValidatorsChainFromTheAnchorDown() throws Exception {
    TraceDnssec dnssec = TraceDnssec.of(ValidatorTest.validate(lab, "www.google.com.", "A"));

    assertThat(dnssec.security()).isEqualTo("SECURE");
    assertThat(dnssec.ede()).isNull();
    assertThat(dnssec.brokenAt()).isNull();
    assertThat(dnssec.chain()).extracting(TraceDnssec.Link::zone).containsExactly(".", "com.", "google.com.");
    assertThat(dnssec.chain()).allSatisfy(link -> {
      assertThat(link.security()).isEqualTo("SECURE");
      assertThat(link.dnskeys()).anySatisfy(key -> assertThat(key.trusted()).isTrue());
      assertThat(link.signatures()).extracting(TraceDnssec.Signature::type).contains("DNSKEY");
    });
  }

  @Test
  void traceSaysWhereTheDsMismatchScenarioBreaks() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.TLD,
        new DsMismatchFault(QueryMatch.names(Name.fromConstantString("google.com.")), FaultListener.NONE, lab.keyDirectory()));

    TraceDnssec dnssec = TraceDnssec.of(ValidatorTest.validate(broken, "www.google.com.", "A"));

    assertThat(dnssec.security()).isEqualTo("BOGUS");
    assertThat(dnssec.ede().code()).isEqualTo(ExtendedErrorCodeOption.DNSKEY_MISSING);
    assertThat(dnssec.brokenAt()).isEqualTo("google.com.");
  }

  @Test
  void aggressiveCacheAnswersFromWhatTheValidatorFoundSecure() throws Exception {
    AggressiveNegativeCache cache = new AggressiveNegativeCache(AggressiveNegativeCache.DEFAULT_MAX_RRSETS,
        ResolutionLimits.DEFAULT.validation(), Clock.systemUTC(), new SimpleMeterRegistry());
    for (String name : new String[] {"nosuch.google.com.", "nosuch.example.co.kr."}) {
      SignedAnswer answer = lab.ask(Name.fromString(name), Type.A).get(10, TimeUnit.SECONDS);
      Validation validation = ValidatorTest.validator(lab).validate(answer).get(10, TimeUnit.SECONDS);
      assertThat(validation.verdict().isSecure()).as(name + ": " + validation.verdict()).isTrue();
      cache.learn(answer, validation.verdict());
    }

    assertThat(cache.answer(Name.fromConstantString("nothere.google.com."), Type.A))
        .hasValueSatisfying(answer -> assertThat(answer.rcode()).isEqualTo(Rcode.NXDOMAIN));
    assertThat(cache.answer(Name.fromConstantString("nosuch.example.co.kr."), Type.TXT))
        .hasValueSatisfying(answer -> assertThat(answer.denial()).isEqualTo("nsec3"));
  }
}
