package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The builder starts from the embedded lab and checks each value as it is set. */
class VisitOptionsTest {
  private static final Path STATE = Path.of("target/visit-state");

  @Test
  void defaultsToTheEmbeddedLab() {
    VisitOptions options = VisitOptions.builder(STATE).build();

    assertThat(options.router()).isEqualTo(AddressPlan.EMBEDDED.dnsAddress(LabRole.ROUTER));
    assertThat(options.recursorDns()).isEqualTo(AddressPlan.EMBEDDED.dnsAddress(LabRole.RECURSOR));
    assertThat(options.httpPort()).isEqualTo(80);
    assertThat(options.httpsPort()).isEqualTo(443);
    assertThat(options.capture()).isTrue();
    assertThat(options.noCache()).isFalse();
    assertThat(options.screenshot()).isNull();
  }

  @Test
  void rejectsPortOutsideTheRange() {
    assertThatThrownBy(() -> VisitOptions.builder(STATE).ports(-1, 443))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("httpPort: -1 (expected: 1..65535)");
    assertThatThrownBy(() -> VisitOptions.builder(STATE).ports(80, 65536))
        .hasMessage("httpsPort: 65536 (expected: 1..65535)");
  }

  @Test
  void namesTheMissingOrBlankSetting() {
    assertThatThrownBy(() -> VisitOptions.builder(null)).hasMessage("stateDir");
    assertThatThrownBy(() -> VisitOptions.builder(STATE).clock(null)).hasMessage("clock");
    assertThatThrownBy(() -> VisitOptions.builder(STATE).tshark(" "))
        .hasMessage("tshark: \" \" (expected: not blank)");
  }
}
