package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.fault.SignatureCorruptFault;
import dev.dnslab.core.lab.LabRole;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * {@link Validator#verifyAhead}: the signatures of a cold walk's DNSKEY sets and DS RRsets, verified
 * while the walk still waits for its answer, are the ones the validation then finds verified, and
 * the validation comes out exactly as without them: same verdict, chain and work counts.
 */
class VerifyAheadTest {
  private static final Name COM = Name.fromConstantString("com.");
  private static final Name GOOGLE = Name.fromConstantString("google.com.");
  private static final Name WWW_GOOGLE = Name.fromConstantString("www.google.com.");
  private static SignedLabAuthorities lab;

  @BeforeAll
  static void signLab() throws Exception {
    lab = SignedLabAuthorities.shared();
  }

  @Test
  void theValidationFindsTheKeySetsAndDsVerifiedAheadAndJudgesAsWithoutThem() throws Exception {
    SignedAnswer answer = lab.ask(WWW_GOOGLE, Type.A).get(10, TimeUnit.SECONDS);
    Validator cold = ValidatorTest.validator(lab);
    Validation expected = cold.validate(answer).get(10, TimeUnit.SECONDS);
    long coldComputed = cold.signaturesComputed();

    Validator ahead = ValidatorTest.validator(lab);
    // What a walk's referrals bring: the root's referral to com (com's DS, signed by the root),
    // com's to google.com (google.com's DS), and the three zones' prefetched DNSKEY sets.
    ahead.verifyAhead(Name.root, dnskeys(lab, Name.root), ds(lab, COM));
    ahead.verifyAhead(COM, dnskeys(lab, COM), ds(lab, GOOGLE));
    ahead.verifyAhead(GOOGLE, dnskeys(lab, GOOGLE), List.of());
    long verifiedAhead = ahead.signaturesComputed();
    Validation validation = ahead.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(validation).isEqualTo(expected);
    assertThat(validation.verdict().security()).isEqualTo(Security.SECURE);
    // Three DNSKEY sets and two DS RRsets; only the answer's own A RRset is left to the validation.
    assertThat(verifiedAhead).isEqualTo(5);
    assertThat(coldComputed).isEqualTo(6);
    assertThat(ahead.signaturesComputed() - verifiedAhead).isEqualTo(1);
  }

  @Test
  void aKeySetThatFailsAheadIsJudgedByTheValidationAsWithoutIt() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE,
        new SignatureCorruptFault(QueryMatch.names(GOOGLE), FaultListener.NONE, lab.keyDirectory()));
    SignedAnswer answer = broken.ask(WWW_GOOGLE, Type.A).get(10, TimeUnit.SECONDS);
    Validation expected = ValidatorTest.validator(broken).validate(answer).get(10, TimeUnit.SECONDS);

    Validator ahead = ValidatorTest.validator(broken);
    ahead.verifyAhead(Name.root, dnskeys(broken, Name.root), ds(broken, COM));
    ahead.verifyAhead(COM, dnskeys(broken, COM), ds(broken, GOOGLE));
    ahead.verifyAhead(GOOGLE, dnskeys(broken, GOOGLE), List.of());
    Validation validation = ahead.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(expected.verdict().security()).isEqualTo(Security.BOGUS);
    assertThat(validation).isEqualTo(expected);
  }

  private static SignedAnswer dnskeys(SignedLabAuthorities source, Name zone) throws Exception {
    return source.ask(zone, Type.DNSKEY).get(10, TimeUnit.SECONDS);
  }

  private static List<RRset> ds(SignedLabAuthorities source, Name child) throws Exception {
    return source.ask(child, Type.DS).get(10, TimeUnit.SECONDS).answer();
  }
}
