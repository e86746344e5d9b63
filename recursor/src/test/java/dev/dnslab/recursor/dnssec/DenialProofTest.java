package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.recursor.iterator.ResolutionLimits;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * The NSEC side of the proofs on hand-made chains (the lab's NSEC zones have no wildcard and no
 * delegation below a covered name): RFC 4034 6.1 canonical order, the last NSEC wrapping to the
 * apex, empty non-terminals, and a parent's NSEC at a cut proving nothing below it.
 */
class DenialProofTest {
  private static final Name ZONE = name("example.");
  private static final ValidationLimits LIMITS = ResolutionLimits.DEFAULT.validation();

  @Test
  void coversNamesBetweenOwnerAndNextInCanonicalOrder() {
    NSECRecord nsec = nsec("a.example.", "d.example.", Type.A);

    assertThat(DenialProof.covers(nsec, name("b.example."))).isTrue();
    assertThat(DenialProof.covers(nsec, name("z.a.example."))).isTrue();  // below a, before d
    assertThat(DenialProof.covers(nsec, name("a.example."))).isFalse();
    assertThat(DenialProof.covers(nsec, name("d.example."))).isFalse();
    assertThat(DenialProof.covers(nsec, name("e.example."))).isFalse();
  }

  @Test
  void coversEverythingAfterTheLastOwnerWhenNextIsTheApex() {
    NSECRecord last = nsec("x.example.", "example.", Type.A);

    assertThat(DenialProof.covers(last, name("y.example."))).isTrue();
    assertThat(DenialProof.covers(last, name("b.example."))).isFalse();
  }

  @Test
  void provesNxdomainWithTheWildcardCoveredAtTheClosestEncloser() {
    DenialProof proof = proof(nsec("example.", "a.example.", Type.SOA, Type.NS), nsec("a.example.", "d.example.", Type.A));

    DenialProof.Fact fact = proof.about(name("b.example."));

    assertThat(fact).isEqualTo(new DenialProof.Absent(ZONE, false, true, null));
  }

  @Test
  void findsTheWildcardThatShouldHaveMatched() {
    DenialProof proof = proof(nsec("*.example.", "d.example.", Type.TXT), nsec("d.example.", "example.", Type.A));

    DenialProof.Fact fact = proof.about(name("b.example."));

    assertThat(fact).isInstanceOfSatisfying(DenialProof.Absent.class, absent -> {
      assertThat(absent.wildcardAbsent()).isFalse();
      assertThat(absent.wildcard()).isNotNull();
    });
  }

  @Test
  void recognisesAnEmptyNonTerminal() {
    DenialProof proof = proof(nsec("a.example.", "x.b.example.", Type.A));

    assertThat(proof.about(name("b.example."))).isEqualTo(new DenialProof.Exists(null));
  }

  @Test
  void ignoresADelegationNsecForNamesBelowTheCut() {
    // RFC 6840 4.1: the parent's NSEC at child.example. says nothing about names inside the child.
    DenialProof proof = proof(nsec("child.example.", "d.example.", Type.NS, Type.RRSIG, Type.NSEC));

    assertThat(proof.about(name("www.child.example."))).isInstanceOf(DenialProof.Unproven.class);
  }

  private static DenialProof proof(NSECRecord... records) {
    List<RRset> sets = java.util.Arrays.stream(records).map(RRset::new).toList();
    return new DenialProof(ZONE, sets, new WorkBudget(LIMITS));
  }

  private static NSECRecord nsec(String owner, String next, int... types) {
    return new NSECRecord(name(owner), DClass.IN, 300, name(next), types);
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }
}
