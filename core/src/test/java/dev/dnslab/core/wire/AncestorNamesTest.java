package dev.dnslab.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class AncestorNamesTest {
  private final AncestorNames ancestors = new AncestorNames();

  @Test
  void givesTheAncestorNewNameWouldMake() throws Exception {
    Name name = Name.fromString("a-1.miss.example.org.");

    for (int strip = 0; strip <= name.labels() - 1; strip++) {
      Name ancestor = ancestors.strip(name, strip);
      assertThat(NameSpelling.same(ancestor, new Name(name, strip))).as("strip %d", strip).isTrue();
      assertThat(ancestor.labels()).isEqualTo(name.labels() - strip);
    }
    assertThat(ancestors.strip(name, 0)).isSameAs(name);
    assertThat(ancestors.parent(Name.root)).isNull();
  }

  @Test
  void handsOutTheSameAncestorToNamesBelowIt() throws Exception {
    Name first = ancestors.parent(Name.fromString("a-1.miss.example.org."));

    assertThat(ancestors.parent(Name.fromString("a-2.miss.example.org."))).isSameAs(first);
    assertThat(ancestors.strip(Name.fromString("a-3.miss.example.org."), 1)).isSameAs(first);
  }

  @Test
  void makesAFreshAncestorForANameUnderAnotherZone() throws Exception {
    Name held = ancestors.parent(Name.fromString("a.miss.example.org."));

    Name other = ancestors.parent(Name.fromString("a.miss.example.net."));

    assertThat(other).isNotSameAs(held).isEqualTo(Name.fromString("miss.example.net."));
    assertThat(ancestors.parent(Name.fromString("b.miss.example.net."))).isSameAs(other);
  }

  @Test
  void keepsTheLetterCaseOfTheNameWalked() throws Exception {
    Name lower = ancestors.parent(Name.fromString("a.miss.example.org."));

    Name mixed = ancestors.parent(Name.fromString("a.Miss.Example.org."));
    Name lowerAgain = ancestors.parent(Name.fromString("b.miss.example.org."));
    Name lowerBelowMixed = ancestors.parent(Name.fromString("B.miss.example.org."));

    assertThat(NameSpelling.same(mixed, Name.fromString("Miss.Example.org."))).isTrue();
    assertThat(lowerAgain).isSameAs(lower);
    // An upper-case letter in the labels stripped off still tells nothing of the ancestor's case.
    assertThat(NameSpelling.same(lowerBelowMixed, Name.fromString("miss.example.org."))).isTrue();
  }

  @Test
  void refusesToStripMoreLabelsThanTheNameHas() throws Exception {
    assertThatThrownBy(() -> ancestors.strip(Name.fromString("example.org."), 4))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
