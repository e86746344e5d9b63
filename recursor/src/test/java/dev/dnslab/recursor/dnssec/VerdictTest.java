package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerdictTest {
  @Test
  void rendersASecureTextWhenReadAndNotBefore() {
    AtomicInteger renders = new AtomicInteger();
    Verdict verdict = Verdict.secure(() -> {
      renders.incrementAndGet();
      return "www.google.com./A signed by key 1 of google.com.";
    });

    assertThat(renders).hasValue(0);
    assertThat(verdict.reason()).isEqualTo("www.google.com./A signed by key 1 of google.com.");
    assertThat(renders).hasValue(1);
  }

  @Test
  void equalsAVerdictWithTheSameTextHowEverItIsMade() {
    Verdict rendered = Verdict.secure(() -> "NODATA for a./A proven by the type bitmap");
    Verdict made = Verdict.secure("NODATA for a./A proven by the type bitmap");

    assertThat(rendered).isEqualTo(made).hasSameHashCodeAs(made).hasToString(made.toString());
    assertThat(rendered).isNotEqualTo(Verdict.insecure("NODATA for a./A proven by the type bitmap"));
  }
}
