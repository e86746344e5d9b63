package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.server.Transport;
import dev.dnslab.recursor.upstream.QueryRandomiser;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class UpstreamQueryBuilderTest {
  private static final Name NAME = Name.fromConstantString("www.google.com.");
  private final UpstreamQueryBuilder builder = new UpstreamQueryBuilder(new QueryRandomiser());

  @Test
  void clearsRecursionDesiredAndAdvertisesTheFlagDayPayload() {
    Message query = builder.build(NAME, Type.A);

    assertThat(query.getHeader().getFlag(Flags.RD)).isFalse();
    assertThat(query.getOPT().getPayloadSize()).isEqualTo(UpstreamQueryBuilder.ADVERTISED_UDP_PAYLOAD);
    assertThat(query.getQuestion().getName().toString()).isEqualTo("www.google.com.");
    assertThat(query.getQuestion().getType()).isEqualTo(Type.A);
  }

  @Test
  void scramblesOnlyTheLetterCaseOfTheNameOnTheWireWith0x20() throws Exception {
    byte[] onWire = builder.nameOnWire(NAME, true);

    assertThat(new Name(onWire)).isEqualTo(NAME);
    assertThat(new Name(onWire).toString()).isEqualToIgnoringCase("www.google.com.");
    assertThat(builder.nameOnWire(NAME, false)).isNull();
  }

  @Test
  void tracesTheQuestionNameInTheLetterCaseItWentOutIn() throws Exception {
    Name asked = Name.fromString("WWW.google.com.");
    byte[] scrambled = builder.nameOnWire(asked, true);

    Exchange sent = exchange(builder.build(asked, Type.A), scrambled, asked);
    Exchange plain = exchange(builder.build(asked, Type.A), null, asked);

    assertThat(sent.questionNameAsSent().toString()).isEqualTo(new Name(scrambled).toString());
    assertThat(plain.questionNameAsSent().toString()).isEqualTo("WWW.google.com.");
  }

  private static Exchange exchange(Message query, byte[] nameOnWire, Name asked) {
    return new Exchange(query, nameOnWire, asked, InetAddress.getLoopbackAddress(), "authoritative", Transport.UDP,
        System.nanoTime());
  }
}
