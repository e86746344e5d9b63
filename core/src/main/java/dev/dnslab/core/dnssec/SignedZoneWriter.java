package dev.dnslab.core.dnssec;

import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Writes zones as RFC 1035 master files that other servers and checkers read: NSD serves them,
 * {@code ldns-verify-zone} and BIND's {@code dnssec-verify} check them. One record per line, with
 * absolute names, so no {@code $ORIGIN} or {@code $TTL} is needed. File names follow the zones
 * folder: {@code root.zone} for the root, {@code com.zone} for com.
 */
public final class SignedZoneWriter {
  private SignedZoneWriter() {}

  /** The signed zone as master-file text. */
  public static String toMasterFile(SignedZone zone) {
    String header = "; " + zone.origin() + " signed by dnslab: " + zone.keys() + ", "
        + zone.policy().denial().label() + ", signatures valid " + zone.inception() + " to "
        + zone.expiration() + "\n";
    return header + lines(zone.records());
  }

  /** An unsigned zone as master-file text, records in the source's order. */
  public static String toMasterFile(Zone zone) {
    return "; " + zone.origin() + " (unsigned)\n" + lines(zone.records());
  }

  /** Writes {@code zone} into {@code dir} and returns the file. */
  public static Path write(Path dir, SignedZone zone) throws IOException {
    return write(dir, zone.origin(), toMasterFile(zone));
  }

  /** Writes the unsigned {@code zone} into {@code dir} and returns the file. */
  public static Path write(Path dir, Zone zone) throws IOException {
    return write(dir, zone.origin(), toMasterFile(zone));
  }

  /** The file name a zone gets in a zones folder ({@link ZoneFileLoader#originOf} reads it back). */
  public static String fileName(Name origin) {
    return origin.equals(Name.root)
        ? ZoneFileLoader.ROOT_ZONE_FILE
        : origin.toString(true) + ZoneFileLoader.ZONE_FILE_SUFFIX;
  }

  private static Path write(Path dir, Name origin, String text) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(fileName(origin));
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    return file;
  }

  private static String lines(List<Record> records) {
    StringBuilder text = new StringBuilder();
    for (Record record : records) {
      text.append(record).append('\n');
    }
    return text.toString();
  }
}
