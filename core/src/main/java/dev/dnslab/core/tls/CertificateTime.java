package dev.dnslab.core.tls;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * A certificate's notBefore or notAfter (RFC 5280 4.1.2.5): UTCTime {@code YYMMDDHHMMSSZ} for
 * the years 1950 to 2049, GeneralizedTime {@code YYYYMMDDHHMMSSZ} otherwise, to the second, in
 * UTC. The very encoding BouncyCastle's {@code new Time(Date)} makes, made without it: that
 * formats with a {@code java.text.SimpleDateFormat}, whose locale data (CLDR's provider and every
 * locale it knows, cached) an issuing role would otherwise load and keep for one string.
 */
final class CertificateTime {
  private static final byte UTC_TIME_TAG = 0x17;
  private static final byte GENERALIZED_TIME_TAG = 0x18;

  private CertificateTime() {}

  static Time of(Instant instant) {
    ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
    int year = utc.getYear();
    boolean utcTime = year >= 1950 && year <= 2049;
    StringBuilder text = new StringBuilder(15);
    if (utcTime) {
      twoDigits(text, year % 100);
    } else {
      if (year < 0 || year > 9999) {
        throw new IllegalArgumentException("not a certificate's year: " + year);
      }
      twoDigits(text, year / 100);
      twoDigits(text, year % 100);
    }
    twoDigits(text, utc.getMonthValue());
    twoDigits(text, utc.getDayOfMonth());
    twoDigits(text, utc.getHour());
    twoDigits(text, utc.getMinute());
    twoDigits(text, utc.getSecond());
    text.append('Z');
    // DER: tag, short-form length (13 or 15 octets), the ASCII digits. Parsed from its encoding, the
    // time keeps these octets as they are; its String constructors would parse them as a date.
    byte[] digits = text.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] der = new byte[digits.length + 2];
    der[0] = utcTime ? UTC_TIME_TAG : GENERALIZED_TIME_TAG;
    der[1] = (byte) digits.length;
    System.arraycopy(digits, 0, der, 2, digits.length);
    ASN1Primitive time = utcTime ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der);
    return new Time(time);
  }

  private static void twoDigits(StringBuilder text, int value) {
    text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
