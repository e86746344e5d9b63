package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The lab's trust anchor as files in its state dir, one per form a resolver reads, so a resolver
 * started beside the lab (another container of one pod, a compose service sharing the state volume)
 * is pointed at a file instead of a command's output:
 *
 * <ul>
 *   <li>{@value #DS_FILE}: the DS records (Unbound's {@code trust-anchor-file}, Knot Resolver's
 *       {@code trust_anchors.add_file}, dnslab's {@code --trust-anchor});
 *   <li>{@value #BIND_FILE}: a {@code trust-anchors} statement for BIND's {@code include};
 *   <li>{@value #POWERDNS_FILE}: a {@code lua-config-file} for PowerDNS Recursor.
 * </ul>
 */
public final class TrustAnchorFiles {
  public static final String DS_FILE = "trust-anchor.ds";
  public static final String BIND_FILE = "trust-anchor.bind.conf";
  public static final String POWERDNS_FILE = "trust-anchor.pdns.lua";

  private TrustAnchorFiles() {}

  /**
   * Writes the three files into {@code stateDir}, each by rename, so a resolver reads a whole
   * anchor or none, never half of one. Returns the DS file.
   */
  public static Path publish(TrustAnchor anchor, Path stateDir) throws IOException {
    requireNonNull(anchor, "anchor");
    Path dir = stateDir.toAbsolutePath();
    Files.createDirectories(dir);
    Path ds = dir.resolve(DS_FILE);
    writeByRename(ds, anchor.anchorFileText());
    writeByRename(dir.resolve(BIND_FILE), TrustAnchorFormat.BIND.render(anchor, ds));
    writeByRename(dir.resolve(POWERDNS_FILE), TrustAnchorFormat.POWERDNS_RECURSOR.render(anchor, ds));
    return ds;
  }

  private static void writeByRename(Path file, String text) throws IOException {
    Path partial = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(partial, text);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
