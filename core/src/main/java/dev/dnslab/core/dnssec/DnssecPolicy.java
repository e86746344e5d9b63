package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * Which zones are signed, and how: read from {@code dnssec.yaml} beside the zone folders (format in
 * {@link DnssecPolicyReader}). A zone the file does not name gets the file's defaults, so a user's
 * own zone is signed without any edit here; with no file at all, every zone gets {@link
 * #BUILT_IN_DEFAULTS}.
 *
 * <pre>{@code
 * DnssecPolicy policy = DnssecPolicy.readIn(Path.of("zones"));
 * ZoneSigning com = policy.forZone(Name.fromString("com."));
 * }</pre>
 */
public final class DnssecPolicy {
  /** The policy file's name inside the zones folder. */
  public static final String FILE_NAME = "dnssec.yaml";

  /**
   * ECDSAP256SHA256 with NSEC: small signatures and answers (RFC 6605 6), and the algorithm RFC
   * 8624 3.1 recommends for signing.
   */
  public static final ZoneSigning.Signed BUILT_IN_DEFAULTS =
      new ZoneSigning.Signed(DnssecAlgorithm.ECDSAP256SHA256, KeyStyle.KSK_ZSK, new Denial.Nsec());

  private final ZoneSigning.Signed defaults;
  private final Map<Name, ZoneSigning> zones;

  public DnssecPolicy(ZoneSigning.Signed defaults, Map<Name, ZoneSigning> zones) {
    this.defaults = requireNonNull(defaults, "defaults");
    this.zones = Map.copyOf(requireNonNull(zones, "zones"));
  }

  /** Every zone signed with {@link #BUILT_IN_DEFAULTS}. */
  public static DnssecPolicy builtIn() {
    return new DnssecPolicy(BUILT_IN_DEFAULTS, Map.of());
  }

  /** {@code zonesDir/dnssec.yaml} if it exists, otherwise {@link #builtIn()}. */
  public static DnssecPolicy readIn(Path zonesDir) throws DnssecPolicyException {
    Path file = zonesDir.resolve(FILE_NAME);
    return Files.exists(file) ? DnssecPolicyReader.read(file) : builtIn();
  }

  /** What to do with the zone at {@code origin}. */
  public ZoneSigning forZone(Name origin) {
    return zones.getOrDefault(origin, defaults);
  }

  /** The policy for zones the file does not name. */
  public ZoneSigning.Signed defaults() {
    return defaults;
  }

  /** The zones the file names, each with its resolved policy. */
  public Map<Name, ZoneSigning> namedZones() {
    return zones;
  }
}
