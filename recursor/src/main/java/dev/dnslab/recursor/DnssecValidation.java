package dev.dnslab.recursor;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import org.xbill.DNS.Record;

/**
 * Whether the recursor validates DNSSEC (RFC 4035 5), and from which trust anchor (RFC 4033 3.1,
 * RFC 4035 4.4). One record per way of naming the anchor:
 *
 * <pre>{@code
 * DnssecValidation.off()                               // --no-dnssec: no DO upstream, no validation
 * DnssecValidation.anchorFile(Path.of("lab-root.ds")) // --trust-anchor FILE, any format `dnslab trust-anchor` writes
 * DnssecValidation.labKeys(stateDir)                  // the default: the lab root's key, read from the lab's state dir
 * DnssecValidation.anchors(trustAnchor.ds())          // the embedded lab, which knows its anchor
 * }</pre>
 */
public sealed interface DnssecValidation {
  /** Validation is off: upstream queries carry no DO, answers are never AD. */
  record Off() implements DnssecValidation {}

  /** The anchor in a file, as `dnslab trust-anchor` writes it (ds, dnskey, unbound, ...). */
  record AnchorFile(Path file) implements DnssecValidation {
    public AnchorFile {
      requireNonNull(file, "file");
    }
  }

  /**
   * The lab root's key-signing key, read from {@code keys/} of the lab's state folder, where the
   * root server's keys live (compose: the shared lab-state volume). Read when first needed, so a
   * recursor may start before the root server has made its keys.
   */
  record LabKeys(Path stateDir) implements DnssecValidation {
    public LabKeys {
      requireNonNull(stateDir, "stateDir");
    }

    /**
     * What the generated one says, written out: that one links through ObjectMethods' method
     * handles (~8 classes of lambda forms, which no class-data archive holds) for the start's log line.
     */
    @Override
    public String toString() {
      return "LabKeys[stateDir=" + stateDir + "]";
    }
  }

  /** DS or DNSKEY records given directly (RFC 4035 4.4). */
  record Anchors(List<Record> records) implements DnssecValidation {
    public Anchors {
      records = List.copyOf(records);
      if (records.isEmpty()) {
        throw new IllegalArgumentException("records: [] (expected: at least one DS or DNSKEY)");
      }
    }
  }

  static DnssecValidation off() {
    return new Off();
  }

  static DnssecValidation anchorFile(Path file) {
    return new AnchorFile(file);
  }

  static DnssecValidation labKeys(Path stateDir) {
    return new LabKeys(stateDir);
  }

  static DnssecValidation anchors(List<? extends Record> records) {
    return new Anchors(List.copyOf(records));
  }

  /** Whether answers are validated (and upstream queries carry DO). */
  default boolean enabled() {
    return !(this instanceof Off);
  }
}
