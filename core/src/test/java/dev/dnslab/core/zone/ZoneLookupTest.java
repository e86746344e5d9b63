package dev.dnslab.core.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

class ZoneLookupTest {
  private static Zone zone;

  @BeforeAll
  static void load() throws Exception {
    zone = new ZoneFileLoader().load(Path.of("src/test/resources/zones/lookup.test.zone"));
  }

  private static ZoneLookup lookup(String name, int type) throws TextParseException {
    return zone.lookup(Name.fromString(name, Name.fromConstantString("lookup.test.")), type);
  }

  @Test
  void answersExactMatch() throws Exception {
    ZoneLookup result = lookup("www", Type.A);
    assertThat(result).isInstanceOf(ZoneLookup.Answer.class);
    RRset rrset = ((ZoneLookup.Answer) result).rrsets().get(0);
    assertThat(rrset.getType()).isEqualTo(Type.A);
    assertThat(((ZoneLookup.Answer) result).wildcard()).isFalse();
  }

  @Test
  void answersNoDataForExistingNameWithoutType() throws Exception {
    assertThat(lookup("www", Type.MX)).isEqualTo(new ZoneLookup.NoData(false));
  }

  @Test
  void returnsCnameForOtherTypes() throws Exception {
    ZoneLookup result = lookup("alias", Type.A);
    assertThat(result).isInstanceOf(ZoneLookup.Cname.class);
    assertThat(((CNAMERecord) ((ZoneLookup.Cname) result).cname().first()).getTarget())
        .isEqualTo(Name.fromString("www.lookup.test."));
  }

  @Test
  void answersCnameQueryWithTheCnameItself() throws Exception {
    assertThat(lookup("alias", Type.CNAME)).isInstanceOf(ZoneLookup.Answer.class);
  }

  @Test
  void refersNamesBelowACut() throws Exception {
    ZoneLookup result = lookup("www.child", Type.A);
    assertThat(result).isInstanceOf(ZoneLookup.Referral.class);
    assertThat(((ZoneLookup.Referral) result).nameServers().getName()).isEqualTo(Name.fromString("child.lookup.test."));
  }

  @Test
  void refersGlueNamesToo() throws Exception {
    assertThat(lookup("ns.child", Type.A)).isInstanceOf(ZoneLookup.Referral.class);
  }

  @Test
  void refersNsQueryAtTheCut() throws Exception {
    assertThat(lookup("child", Type.NS)).isInstanceOf(ZoneLookup.Referral.class);
  }

  @Test
  void answersDsAtTheCutFromTheParent() throws Exception {
    assertThat(lookup("child", Type.DS)).isInstanceOf(ZoneLookup.Answer.class);
  }

  @Test
  void answersEmptyNonTerminalWithNoData() throws Exception {
    assertThat(lookup("b.c", Type.A)).isEqualTo(new ZoneLookup.NoData(false));
    assertThat(lookup("c", Type.A)).isEqualTo(new ZoneLookup.NoData(false));
  }

  @Test
  void answersNxdomainForMissingName() throws Exception {
    assertThat(lookup("nosuch", Type.A)).isEqualTo(new ZoneLookup.NxDomain());
    assertThat(lookup("x.a.b.c", Type.A)).isEqualTo(new ZoneLookup.NxDomain());
  }

  @Test
  void synthesisesWildcardAnswerWithQueryNameAsOwner() throws Exception {
    ZoneLookup result = lookup("anything.wild", Type.A);
    assertThat(result).isInstanceOf(ZoneLookup.Answer.class);
    ZoneLookup.Answer answer = (ZoneLookup.Answer) result;
    assertThat(answer.wildcard()).isTrue();
    assertThat(answer.rrsets().get(0).getName()).isEqualTo(Name.fromString("anything.wild.lookup.test."));
  }

  @Test
  void wildcardMatchesSeveralLabelsDeep() throws Exception {
    assertThat(lookup("a.b.wild", Type.A)).isInstanceOf(ZoneLookup.Answer.class);
  }

  @Test
  void answersWildcardNoDataForMissingType() throws Exception {
    assertThat(lookup("anything.wild", Type.AAAA)).isEqualTo(new ZoneLookup.NoData(true));
  }

  @Test
  void existingNameBlocksWildcardBelowIt() throws Exception {
    // RFC 4592 2.2.1: host.wild exists, so it is the closest encloser and *.host.wild does not.
    assertThat(lookup("x.host.wild", Type.A)).isEqualTo(new ZoneLookup.NxDomain());
  }

  @Test
  void synthesisesWildcardCname() throws Exception {
    ZoneLookup result = lookup("foo.cname", Type.A);
    assertThat(result).isInstanceOf(ZoneLookup.Cname.class);
    assertThat(((ZoneLookup.Cname) result).wildcard()).isTrue();
    assertThat(((ZoneLookup.Cname) result).cname().getName()).isEqualTo(Name.fromString("foo.cname.lookup.test."));
  }

  @Test
  void answersEverythingForAny() throws Exception {
    ZoneLookup result = lookup("www", Type.ANY);
    assertThat(((ZoneLookup.Answer) result).rrsets()).hasSize(2);
  }
}
