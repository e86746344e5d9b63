package dev.dnslab.web;

import io.netty.handler.codec.DateFormatter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;

/**
 * An HTTP date in its preferred form, IMF-fixdate (RFC 9110 5.6.7), e.g. {@code Sun, 06 Nov 1994
 * 08:49:37 GMT}: the text Netty's {@link DateFormatter#format} gives, made from the epoch second
 * by java.time's {@link LocalDateTime} in UTC and two tables of English names. Why not Netty's:
 * its formatter keeps a {@code GregorianCalendar}, whose constructor asks the JDK's locale
 * providers for the default locale's week data, so the web server's first response loaded the CLDR
 * provider, its calendar classes and its table of every locale, and kept them, for the Date and
 * Last-Modified header fields.
 */
final class ImfFixdate {
  private static final String[] DAY_NAMES = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTH_NAMES = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  /**
   * 1582-10-15T00:00:00Z, where {@code GregorianCalendar} turns from the Julian calendar to the
   * Gregorian one. Before it Netty's text differs from the proleptic Gregorian date made here, so
   * such a time (a file's modification time set that far back) is left to Netty: the same text
   * as before, at the old cost, for a date no server clock gives.
   */
  static final long GREGORIAN_CUTOVER_SECOND = -12_219_292_800L;

  private ImfFixdate() {}

  /** The date of the second that holds this instant (milliseconds since the epoch). */
  static String ofMillis(long epochMillis) {
    return of(Math.floorDiv(epochMillis, 1000));
  }

  static String of(long epochSecond) {
    if (epochSecond < GREGORIAN_CUTOVER_SECOND) {
      return DateFormatter.format(new Date(epochSecond * 1000));
    }
    // java.time's proleptic Gregorian date is arithmetic on the epoch day, with no locale data;
    // only its display names would need them, hence the two tables above.
    LocalDateTime utc = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    StringBuilder text = new StringBuilder(29);
    text.append(DAY_NAMES[utc.getDayOfWeek().ordinal()]).append(", ");
    twoDigits(text, utc.getDayOfMonth()).append(' ').append(MONTH_NAMES[utc.getMonthValue() - 1]).append(' ')
        .append(utc.getYear()).append(' ');
    twoDigits(text, utc.getHour()).append(':');
    twoDigits(text, utc.getMinute()).append(':');
    return twoDigits(text, utc.getSecond()).append(" GMT").toString();
  }

  private static StringBuilder twoDigits(StringBuilder text, int value) {
    return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
