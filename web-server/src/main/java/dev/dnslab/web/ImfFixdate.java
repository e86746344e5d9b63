package dev.dnslab.web;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * An HTTP date in its preferred form, IMF-fixdate (RFC 9110 5.6.7), e.g. {@code Sun, 06 Nov 1994
 * 08:49:37 GMT}: the text Netty's {@link DateFormatter#format} gives, made from the epoch second
 * with integer arithmetic. Why not Netty's: its formatter keeps a {@code GregorianCalendar}, whose
 * constructor asks the JDK's locale providers for the default locale's week data, so the web
 * server's first response loaded the CLDR provider, its calendar classes and its table of every
 * locale, and kept them, for the Date and Last-Modified header fields.
 */
final class ImfFixdate {
  private static final String[] DAY_NAMES = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTH_NAMES = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final long SECONDS_PER_DAY = 86_400;
  /** 1970-01-01 was a Thursday: day 0 is day 3 of a week that starts on Monday. */
  private static final int EPOCH_DAY_OF_WEEK = 3;
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
    long day = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
    // Civil date from days since 1970-01-01, proleptic Gregorian (Howard Hinnant's
    // civil_from_days: eras of 400 years, each year counted from March so that February's
    // leap day comes last).
    long shifted = day + 719_468;
    long era = Math.floorDiv(shifted, 146_097);
    long dayOfEra = shifted - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthFromMarch = (5 * dayOfYear + 2) / 153;
    int dayOfMonth = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
    int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

    StringBuilder text = new StringBuilder(29);
    text.append(DAY_NAMES[(int) Math.floorMod(day + EPOCH_DAY_OF_WEEK, 7)]).append(", ");
    twoDigits(text, dayOfMonth).append(' ').append(MONTH_NAMES[month - 1]).append(' ').append(year).append(' ');
    twoDigits(text, secondOfDay / 3600).append(':');
    twoDigits(text, secondOfDay / 60 % 60).append(':');
    return twoDigits(text, secondOfDay % 60).append(" GMT").toString();
  }

  private static StringBuilder twoDigits(StringBuilder text, int value) {
    return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
