package dev.dnslab.recursor.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.recursor.handler.RenderedAnswers.Key;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The rendered answers' key compares a query's own name bytes in any letter case (RFC 4343) with
 * the lower-case name an answer was kept under, without a lower-case copy of either.
 */
class RenderedAnswersKeyTest {
  @Test
  void findsAnAnswerKeptInLowerCaseForAnySpellingOfItsName() throws Exception {
    Key kept = new Key(Name.fromString("www.google.com.").toWireCanonical(), Type.A, 0);
    Key asked = new Key(Name.fromString("WwW.GooGLE.CoM.").toWire(), Type.A, 0);

    assertThat(asked).isEqualTo(kept).hasSameHashCodeAs(kept);
  }

  @Test
  void tellsApartAnotherNameTypeOrFlags() throws Exception {
    Key kept = new Key(Name.fromString("www.google.com.").toWireCanonical(), Type.A, 0);

    assertThat(new Key(Name.fromString("ww.google.com.").toWire(), Type.A, 0)).isNotEqualTo(kept);
    assertThat(new Key(Name.fromString("www.google.co.").toWire(), Type.A, 0)).isNotEqualTo(kept);
    assertThat(new Key(Name.fromString("www.google.com.").toWire(), Type.AAAA, 0)).isNotEqualTo(kept);
    assertThat(new Key(Name.fromString("www.google.com.").toWire(), Type.A, 1)).isNotEqualTo(kept);
  }

  @Test
  void foldsOnlyAsciiLettersNotTheBytesBesideThem() throws Exception {
    // '@' and '[' sit next to 'A' and 'Z'; '`' and '{' next to 'a' and 'z': none of them is a letter.
    Key kept = new Key(Name.fromString("\\@a\\[z.test.").toWireCanonical(), Type.A, 0);

    assertThat(new Key(Name.fromString("\\@A\\[Z.test.").toWire(), Type.A, 0)).isEqualTo(kept);
    assertThat(new Key(Name.fromString("\\`a\\{z.test.").toWire(), Type.A, 0)).isNotEqualTo(kept);
  }
}
