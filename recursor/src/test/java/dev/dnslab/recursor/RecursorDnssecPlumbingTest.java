package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.recursor.dnssec.SignedAnswer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The signed lab through the recursor, verdicts aside (every query sets CD, RFC 4035 3.2.2: the
 * data unvalidated): DO upstream, signatures and proofs kept and cached with what they cover, given
 * only to clients that set DO, and DS asked of the parent.
 */
class RecursorDnssecPlumbingTest {
  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).signed().emptyCacheBeforeEach();

  @Test
  void asksWithDoAndCachesTheSignaturesWithTheirRrset() throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, false, true, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    CacheEntry.Positive cached = recursor.server().cache()
        .positive(Name.fromString("www.google.com."), Type.A, CacheRank.ANSWER);
    assertThat(cached.signatures(recursor.server().cache().now())).as("RFC 4035 4.5: cached with the RRset").isNotEmpty()
        .allSatisfy(sig -> assertThat(((RRSIGRecord) sig).getSigner()).isEqualTo(Name.fromString("google.com.")));
  }

  @Test
  void givesSignaturesOnlyToAClientThatSetDo() throws Exception {
    Message withoutDo = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, false, true, false);
    Message withDo = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, true, true, false);

    assertThat(types(withoutDo.getSection(Section.ANSWER))).containsExactly("A");
    assertThat(types(withDo.getSection(Section.ANSWER))).as("each RRset followed by its RRSIGs")
        .containsExactly("A", "RRSIG");
  }

  @Test
  void givesTheDenialProofsOfANegativeAnswerWithDoFromTheWireAndFromTheCache() throws Exception {
    for (String from : List.of("the wire", "the cache")) {
      Message withDo = Dig.queryEdns(recursor.server().dnsAddress(), "nosuch.example.co.kr.", Type.A, true, true, false);
      Message withoutDo = Dig.queryEdns(recursor.server().dnsAddress(), "nosuch.example.co.kr.", Type.A, false, true, false);

      assertThat(withDo.getRcode()).as(from).isEqualTo(Rcode.NXDOMAIN);
      assertThat(types(withDo.getSection(Section.AUTHORITY))).as(from).contains("SOA", "RRSIG", "NSEC3");
      assertThat(types(withoutDo.getSection(Section.AUTHORITY))).as(from).containsExactly("SOA");
    }
  }

  @Test
  void asksTheParentForTheDsEvenWhenTheChildsServersAreCached() throws Exception {
    // Caches google.com's NS set.
    Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, false, true, false);

    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "google.com.", Type.DS, true, true, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(types(response.getSection(Section.ANSWER))).as("the child would say NODATA").containsExactly("DS", "RRSIG");
    assertThat(response.getSection(Section.ANSWER)).filteredOn(RRSIGRecord.class::isInstance)
        .allSatisfy(sig -> assertThat(((RRSIGRecord) sig).getSigner()).isEqualTo(Name.fromString("com.")));
  }

  @Test
  void walksToTheParentForTheDsWithTheCacheBypassed() throws Exception {
    var trace = recursor.server().resolver().trace(Name.fromString("example.co.kr."), Type.DS).get();

    assertThat(trace.rcode()).isEqualTo("NOERROR");
    assertThat(trace.answer()).anySatisfy(line -> assertThat(line).contains("\tDS\t"));
    assertThat(trace.steps()).as("never the child's servers").extracting(step -> step.zone())
        .doesNotContain("example.co.kr.");
    assertThat(trace.steps().get(trace.steps().size() - 1).server().role()).as("co.kr's server, the TLD host")
        .isEqualTo("tld");
  }

  @Test
  void givesTheValidatorTheDsFromTheParentAndTheDnskeyFromTheZoneWithTheirSignatures() throws Exception {
    Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, false, true, false);
    var keys = recursor.server().resolver().keySource();

    SignedAnswer ds = keys.fetch(Name.fromString("google.com."), Type.DS).get();
    SignedAnswer dnskey = keys.fetch(Name.fromString("google.com."), Type.DNSKEY).get();

    assertThat(ds.answer()).singleElement().satisfies(set -> {
      assertThat(set.getType()).isEqualTo(Type.DS);
      assertThat(set.sigs()).isNotEmpty().allSatisfy(sig -> assertThat(sig.getSigner()).isEqualTo(Name.fromString("com.")));
    });
    assertThat(dnskey.answer()).singleElement().satisfies(set -> {
      assertThat(set.getType()).isEqualTo(Type.DNSKEY);
      assertThat(set.sigs()).isNotEmpty()
          .allSatisfy(sig -> assertThat(((RRSIGRecord) sig).getSigner()).isEqualTo(Name.fromString("google.com.")));
    });
  }

  @Test
  void givesTheValidatorTheProofThatADsDoesNotExist() throws Exception {
    SignedAnswer ds = recursor.server().resolver().keySource().fetch(Name.fromString("www.google.com."), Type.DS).get();

    assertThat(ds.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ds.answer()).isEmpty();
    assertThat(ds.authority()).extracting(set -> Type.string(set.getType())).contains("SOA")
        .containsAnyOf("NSEC", "NSEC3");
    assertThat(ds.authority()).allSatisfy(set -> assertThat(set.sigs()).isNotEmpty());
  }

  @Test
  void neverSetsAdOnDataGivenUnvalidated() throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, true, true, true);

    assertThat(response.getHeader().getFlag(Flags.CD)).isTrue();
    assertThat(response.getHeader().getFlag(Flags.AD)).as("RFC 4035 3.2.2: CD, nothing validated").isFalse();
  }

  @Test
  void asksWithoutDoAndKeepsNoSignaturesWhenValidationIsOff() throws Exception {
    try (RecursorServer off = new RecursorServer(recursor.lab().recursorConfig()
        .dnssec(DnssecValidation.off()).build()).start()) {
      Message response = Dig.queryEdns(off.dnsAddress(), "www.google.com.", Type.A, true, true, false);

      assertThat(types(response.getSection(Section.ANSWER))).containsExactly("A");
      assertThat(off.cache().positive(Name.fromString("www.google.com."), Type.A, CacheRank.ANSWER).signatures(off.cache().now()))
          .isEmpty();
    }
  }

  private static List<String> types(List<Record> records) {
    return records.stream().map(r -> Type.string(r.getType())).toList();
  }
}
