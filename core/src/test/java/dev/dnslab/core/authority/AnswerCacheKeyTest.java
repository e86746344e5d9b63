package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.wire.AnswerTemplate;
import dev.dnslab.core.wire.PlainQuery;
import dev.dnslab.core.zone.ZoneSet;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link AnswerCache.Key}: a lookup key made from a {@link PlainQuery}, which reads the name the
 * query holds rather than a copy, finds the key the handler chain made from a dnsjava name.
 */
class AnswerCacheKeyTest {

  @Test
  void aPlainQuerysKeyEqualsTheChainsKeyInAnyLetterCase() throws Exception {
    AnswerCache.Key kept = new AnswerCache.Key(Name.fromString("www.google.com."), Type.A, DClass.IN, false);
    PlainQuery query = read("WwW.GOOGLE.com.", Type.A);

    AnswerCache.Key lookup = new AnswerCache.Key(query);

    assertThat(lookup).isEqualTo(kept);
    assertThat(kept).isEqualTo(lookup);
    assertThat(lookup.hashCode()).isEqualTo(kept.hashCode());
  }

  @Test
  void aPlainQuerysKeyDiffersByNameAndType() throws Exception {
    AnswerCache.Key kept = new AnswerCache.Key(Name.fromString("www.google.com."), Type.A, DClass.IN, false);

    assertThat(new AnswerCache.Key(read("www.google.co.", Type.A))).isNotEqualTo(kept);
    assertThat(new AnswerCache.Key(read("www.google.con.", Type.A))).isNotEqualTo(kept);
    assertThat(new AnswerCache.Key(read("www.google.com.", Type.AAAA))).isNotEqualTo(kept);
  }

  @Test
  void aLookupKeyIsNeverKeptForItsNameChangesWithTheNextQueryRead() throws Exception {
    AnswerCache cache = new AnswerCache(new ServedZones(ZoneSet.empty(), Map.of()));
    AnswerTemplate answer = AnswerTemplate.of(new Message(1));

    assertThatThrownBy(() -> cache.put(new AnswerCache.Key(read("www.google.com.", Type.A)), answer))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static PlainQuery read(String name, int type) throws Exception {
    Message query = new Message(1);
    query.addRecord(Record.newRecord(Name.fromString(name), type, DClass.IN), Section.QUESTION);
    PlainQuery plain = PlainQuery.read(Unpooled.wrappedBuffer(query.toWire()));
    assertThat(plain).isNotNull();
    return plain;
  }
}
