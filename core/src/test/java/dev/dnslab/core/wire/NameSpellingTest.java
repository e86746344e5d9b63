package dev.dnslab.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class NameSpellingTest {
  @Test
  void findsNamesSpelledAlikeTheSame() throws Exception {
    assertThat(NameSpelling.same(Name.fromString("WwW.Example.org."), Name.fromString("WwW.Example.org."))).isTrue();
  }

  @Test
  void tellsApartNamesThatDifferOnlyInOneLettersCase() throws Exception {
    Name lower = Name.fromString("www.example.org.");
    Name oneUpper = Name.fromString("www.examPle.org.");

    assertThat(lower).isEqualTo(oneUpper);
    assertThat(NameSpelling.same(lower, oneUpper)).isFalse();
  }
}
