package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** RFC 9156 2.3: one label more than the deepest known zone cut, until the full name. */
class QnameMinimiserTest {
  private static final Name TARGET = Name.fromConstantString("www.naver.com.nheos.com.");

  @Test
  void asksTheRootOnlyForTheTopLevelDomain() {
    QnameMinimiser minimiser = new QnameMinimiser(true);

    minimiser.startBelow(Name.root);

    assertThat(minimiser.nameToAsk(TARGET)).isEqualTo(Name.fromConstantString("com."));
  }

  @Test
  void addsOneLabelWhereThereIsNoZoneCut() {
    QnameMinimiser minimiser = new QnameMinimiser(true);
    minimiser.startBelow(Name.fromConstantString("nheos.com."));

    minimiser.noZoneCutAt(Name.fromConstantString("com.nheos.com."));

    assertThat(minimiser.nameToAsk(TARGET)).isEqualTo(Name.fromConstantString("naver.com.nheos.com."));
  }

  @Test
  void asksTheFullNameWhenOff() {
    QnameMinimiser minimiser = new QnameMinimiser(false);

    minimiser.startBelow(Name.root);

    assertThat(minimiser.nameToAsk(TARGET)).isEqualTo(TARGET);
  }

  @Test
  void asksTheFullNameAfterAMinimisedNxdomain() {
    QnameMinimiser minimiser = new QnameMinimiser(true);
    minimiser.startBelow(Name.root);

    minimiser.askFullName();

    assertThat(minimiser.nameToAsk(TARGET)).isEqualTo(TARGET);
  }

  @Test
  void stopsMinimisingAfterMaxMinimiseCountLabels() {
    Name deep = Name.fromConstantString("a.b.c.d.e.f.g.h.i.j.k.l.m.example.");
    QnameMinimiser minimiser = new QnameMinimiser(true);
    minimiser.startBelow(Name.fromConstantString("example."));

    Name asked = minimiser.nameToAsk(deep);
    for (int step = 0; step < ResolutionLimits.MAX_MINIMISE_COUNT; step++) {
      minimiser.noZoneCutAt(asked);
      asked = minimiser.nameToAsk(deep);
    }

    assertThat(asked).isEqualTo(deep);
  }
}
