package dev.dnslab.recursor.iterator;

import dev.dnslab.core.cache.QuestionKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What is kept per cached name holds one instance of each name it repeats: under a flood of new
 * names every copy is heap held as long as the entry (issue 16's resident-memory goal).
 */
class CachedNameSharingTest {
  @Test
  void aVerdictsQuestionTakesTheNameOfTheRecordItJudged() throws Exception {
    Record record = new ARecord(Name.fromString("X1.Miss.Example.Org."), DClass.IN, 300,
        InetAddress.getByName("127.53.0.80"));
    QuestionKey asked = new QuestionKey(Name.fromString("x1.miss.example.org."), Type.A);

    QuestionKey kept = ValidatedAnswers.sharingOwner(asked, List.of(record));

    assertThat(kept).isEqualTo(asked); // the same key: names compare without case (RFC 4343)
    assertThat(kept.name()).isSameAs(record.getName());
  }

  @Test
  void aVerdictOnAnotherNamesDataKeepsTheQuestionsName() throws Exception {
    Record target = new ARecord(Name.fromString("target.example.org."), DClass.IN, 300,
        InetAddress.getByName("127.53.0.80"));
    QuestionKey asked = new QuestionKey(Name.fromString("alias.example.org."), Type.A);

    assertThat(ValidatedAnswers.sharingOwner(asked, List.of(target))).isSameAs(asked);
    assertThat(ValidatedAnswers.sharingOwner(asked, List.of())).isSameAs(asked);
  }
}
