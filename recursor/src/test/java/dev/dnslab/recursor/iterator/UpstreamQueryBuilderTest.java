package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.recursor.upstream.QueryRandomiser;
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
    Message query = builder.build(NAME, Type.A, false);

    assertThat(query.getHeader().getFlag(Flags.RD)).isFalse();
    assertThat(query.getOPT().getPayloadSize()).isEqualTo(UpstreamQueryBuilder.ADVERTISED_UDP_PAYLOAD);
    assertThat(query.getQuestion().getName().toString()).isEqualTo("www.google.com.");
    assertThat(query.getQuestion().getType()).isEqualTo(Type.A);
  }

  @Test
  void scramblesOnlyTheLetterCaseWith0x20() {
    Message query = builder.build(NAME, Type.A, true);

    assertThat(query.getQuestion().getName()).isEqualTo(NAME);
    assertThat(query.getQuestion().getName().toString()).isEqualToIgnoringCase("www.google.com.");
  }
}
