package dev.dnslab.recursor.dnssec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.dnslab.core.dnssec.TrustAnchor;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The configured trust anchors (RFC 4033 3.1, RFC 4035 4.4): per zone, the DS records a validator
 * trusts without asking the parent. A DNSKEY anchor is kept as the SHA-256 DS of that key (dnsjava's
 * {@link DSRecord}), so the chain starts the same way from either.
 *
 * <pre>{@code
 * TrustAnchors anchors = TrustAnchors.read(Path.of("/var/lib/dnslab/trust-anchor.ds"));
 * TrustAnchors lab = TrustAnchors.of(TrustAnchor.of(keyDirectory.load(Name.root).orElseThrow()));
 * }</pre>
 */
public final class TrustAnchors {
  /** unbound.conf(5): {@code trust-anchor-file: "path"} and {@code trust-anchor: "record"}. */
  private static final Pattern UNBOUND_FILE = Pattern.compile("^\\s*trust-anchor-file:\\s*\"?([^\"]+?)\"?\\s*$");
  private static final Pattern UNBOUND_ANCHOR = Pattern.compile("^\\s*trust-anchor:\\s*\"([^\"]+)\"\\s*$");

  private final Map<Name, List<DSRecord>> dsByZone;

  private TrustAnchors(Map<Name, List<DSRecord>> dsByZone) {
    if (dsByZone.isEmpty()) {
      throw new IllegalArgumentException("trust anchors: none (expected: at least one DS or DNSKEY record)");
    }
    this.dsByZone = Collections.unmodifiableMap(dsByZone);
  }

  /** Anchors from DS and DNSKEY records; other record types are not anchors and are refused. */
  public static TrustAnchors of(List<Record> records) {
    Map<Name, List<DSRecord>> byZone = new LinkedHashMap<>();
    for (Record record : records) {
      DSRecord ds;
      if (record instanceof DSRecord dsRecord) {
        ds = dsRecord;
      } else if (record instanceof DNSKEYRecord key) {
        ds = new DSRecord(key.getName(), key.getDClass(), key.getTTL(), DNSSEC.Digest.SHA256, key);
      } else {
        throw new IllegalArgumentException("trust anchor: " + record + " (expected: a DS or DNSKEY record)");
      }
      byZone.computeIfAbsent(ds.getName(), zone -> new ArrayList<>()).add(ds);
    }
    byZone.replaceAll((zone, list) -> List.copyOf(list));
    return new TrustAnchors(byZone);
  }

  /** The lab root's anchor as core made it: its DS records. */
  public static TrustAnchors of(TrustAnchor anchor) {
    return of(List.copyOf(anchor.ds()));
  }

  /**
   * Anchors from a file in any form {@code dnslab trust-anchor} writes: master-file DS records
   * ({@code --format ds}, the anchor file), DNSKEY records ({@code --format dnskey}), or an Unbound
   * {@code server:} clause naming an anchor file ({@code --format unbound}).
   */
  public static TrustAnchors read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trust anchor " + file + ": " + e.getMessage(), e);
    }
    List<Record> records = new ArrayList<>();
    boolean unbound = false;
    for (String line : text.split("\n")) {
      Matcher anchorFile = UNBOUND_FILE.matcher(line);
      Matcher anchor = UNBOUND_ANCHOR.matcher(line);
      if (anchorFile.matches()) {
        unbound = true;
        Path named = file.resolveSibling(anchorFile.group(1));
        records.addAll(masterRecords(named, readText(named)));
      } else if (anchor.matches()) {
        unbound = true;
        records.addAll(masterRecords(file, anchor.group(1) + "\n"));
      }
    }
    if (!unbound) {
      records.addAll(masterRecords(file, text));
    }
    if (records.isEmpty()) {
      throw new IllegalArgumentException(file + ": no DS or DNSKEY record (expected: the output of dnslab trust-anchor)");
    }
    return of(records);
  }

  /** The zones with an anchor, most specific last. */
  public List<Name> zones() {
    return List.copyOf(dsByZone.keySet());
  }

  /** The anchor's DS records of a zone, empty when it has none. */
  public List<DSRecord> ds(Name zone) {
    return dsByZone.getOrDefault(zone, List.of());
  }

  /** The deepest anchored zone at or above a name (RFC 4035 4.4), if any. */
  public Optional<Name> closestAnchor(Name name) {
    Name best = null;
    for (Name zone : dsByZone.keySet()) {
      if (name.subdomain(zone) && (best == null || zone.labels() > best.labels())) {
        best = zone;
      }
    }
    return Optional.ofNullable(best);
  }

  @Override
  public String toString() {
    return "TrustAnchors" + dsByZone.keySet();
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trust anchor file " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Record> masterRecords(Path file, String text) {
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root)) {
      for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
        records.add(record);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    return records;
  }
}
