package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class QuestionKeyTest {
  @Test
  void findsTheSameQuestionSpelledInAnotherLetterCase() throws Exception {
    // RFC 4343: DNS names compare without regard to case; so do the cache's and the recursor's keys.
    Map<QuestionKey, String> map = new HashMap<>();
    map.put(new QuestionKey(Name.fromString("WWW.Example.ORG."), Type.A), "kept");

    QuestionKey lower = new QuestionKey(Name.fromString("www.example.org."), Type.A);
    assertThat(map).containsEntry(lower, "kept");
    assertThat(lower).isEqualTo(new QuestionKey(Name.fromString("WWW.Example.ORG."), Type.A))
        .hasSameHashCodeAs(new QuestionKey(Name.fromString("WWW.Example.ORG."), Type.A));
  }

  @Test
  void tellsQuestionsOfAnotherTypeOrNameApart() throws Exception {
    QuestionKey a = new QuestionKey(Name.fromString("www.example.org."), Type.A);

    assertThat(a).isNotEqualTo(new QuestionKey(Name.fromString("www.example.org."), Type.AAAA))
        .isNotEqualTo(new QuestionKey(Name.fromString("ww.example.org."), Type.A))
        .isNotEqualTo("www.example.org./A")
        .isNotEqualTo(null);
    assertThat(a.name()).isEqualTo(Name.fromString("www.example.org."));
    assertThat(a.type()).isEqualTo(Type.A);
    assertThat(a).hasToString("www.example.org./A");
  }
}
