package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The host a request names: the same hosts accepted and refused as by the regex it once used. */
class HostHeaderTest {
  /** The character check HostHeader had before its loop. */
  private static final Pattern FORMER_HOST_CHARACTERS = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:_]+");

  @ParameterizedTest
  @CsvSource({
    "www.google.com, www.google.com",
    "WWW.Google.COM, www.google.com",
    "www.google.com:8080, www.google.com",
    "www.google.com., www.google.com",
    "'  www.naver.com  ', www.naver.com",
    "127.53.0.80:80, 127.53.0.80",
    "[::1], [::1]",
    "[fd00:53:53:127::80]:443, [fd00:53:53:127::80]",
    "under_score.example, under_score.example",
    "xn--9t4b11yi5a.com, xn--9t4b11yi5a.com",
  })
  void acceptsNamesAddressesAndIpLiterals(String value, String host) {
    assertThat(HostHeader.hostOf(value)).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", ":80", ".", "[::1", "www.google.com/", "www google.com", "ex%61mple.com", "exa\u00e9mple.com",
        "a\u0000b", "host\r\nx", "user@host", "a*b", "a,b"})
  void refusesEmptyAndMalformedHosts(String value) {
    assertThat(HostHeader.hostOf(value)).isNull();
  }

  @Test
  void refusesAMissingHostAndOneLongerThan255Characters() {
    assertThat(HostHeader.hostOf(null)).isNull();
    assertThat(HostHeader.hostOf("a".repeat(255))).isEqualTo("a".repeat(255));
    assertThat(HostHeader.hostOf("a".repeat(256))).isNull();
  }

  @Test
  void acceptsEveryCharacterTheFormerRegexAcceptedAndNoOther() {
    for (char c = 0; c < 0x3000; c++) {
      String value = "a" + c + "b";
      boolean regexAccepted = FORMER_HOST_CHARACTERS.matcher(value.strip()).matches();
      // Strip, port and final dot handling come before the character check: a ':' or '.' here is
      // a port separator or a final dot; the check itself still sees the rest.
      String expected = regexAccepted ? expectedHost(value) : null;
      assertThat(HostHeader.hostOf(value)).as("U+%04X", (int) c).isEqualTo(expected);
    }
  }

  private static String expectedHost(String value) {
    int colon = value.lastIndexOf(':');
    return (colon >= 0 ? value.substring(0, colon) : value).toLowerCase(java.util.Locale.ROOT);
  }
}
