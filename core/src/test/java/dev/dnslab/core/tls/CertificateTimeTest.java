package dev.dnslab.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A validity time has the very DER BouncyCastle's Time(Date) gives it, UTCTime or GeneralizedTime. */
class CertificateTimeTest {
  @ParameterizedTest
  @ValueSource(strings = {"2026-12-05T01:02:03.999Z", "2027-01-01T00:00:00Z", "1950-01-01T00:00:00Z",
      "2049-12-31T23:59:59.500Z", "2050-01-01T00:00:00Z", "2126-12-05T12:34:56Z", "1949-12-31T23:59:59Z"})
  void encodesAsBouncyCastlesTimeOfADate(String when) throws Exception {
    Instant instant = Instant.parse(when);

    Time ours = CertificateTime.of(instant);
    Time theirs = new Time(Date.from(instant));

    assertThat(ours.getEncoded()).isEqualTo(theirs.getEncoded());
    assertThat(ours.getDate()).isEqualTo(theirs.getDate());
  }
}
