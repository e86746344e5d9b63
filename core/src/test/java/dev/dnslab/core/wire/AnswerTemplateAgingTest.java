package dev.dnslab.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A template finds its records' TTL fields up front only when it keeps bytes alone (a cache's,
 * which ages); an authority's template, which keeps its records, finds them when asked and ages
 * exactly alike.
 */
class AnswerTemplateAgingTest {
  private static final byte[] NO_OPT = new byte[0];

  private static Message answer(Message query) throws Exception {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    Name name = query.getQuestion().getName();
    response.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    response.addRecord(new ARecord(name, DClass.IN, 120, InetAddress.getByName("192.0.2.2")), Section.ANSWER);
    return response;
  }

  private static String aged(AnswerTemplate template, Message query, long age) {
    ByteBuf out = template.render(
        PlainQuery.read(Unpooled.wrappedBuffer(query.toWire())), NO_OPT, 65535, UnpooledByteBufAllocator.DEFAULT, age);
    try {
      return ByteBufUtil.hexDump(out);
    } finally {
      out.release();
    }
  }

  @Test
  void anAuthorityTemplateAgesItsTtlsLikeACachesTemplate() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.example."), Type.A, DClass.IN));
    AnswerTemplate authority = AnswerTemplate.of(answer(query));
    AnswerTemplate cache = AnswerTemplate.bytesOnly(answer(query));

    assertThat(authority.minTtl()).isEqualTo(120).isEqualTo(cache.minTtl());
    assertThat(aged(authority, query, 20)).isEqualTo(aged(cache, query, 20));
    Message aged = new Message(ByteBufUtil.decodeHexDump(aged(authority, query, 20)));
    assertThat(aged.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(280L, 100L);
  }
}
