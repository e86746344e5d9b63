package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.SignedZone;
import dev.dnslab.core.dnssec.SigningMetrics;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneLoadException;
import dev.dnslab.core.zone.ZoneRepository;
import dev.dnslab.core.zone.ZoneSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The zones an authority server answers from: read from the zone files, signed where the lab's
 * DNSSEC policy says so, and swapped in as one {@link ServedZones}. A reload reads and signs every
 * zone before anything changes, so a bad file or a key that cannot sign keeps the last good zones
 * in service. Renewal re-signs, from the same source, each zone whose signatures are due (RFC 4034
 * 3.1.5: a signature past its expiration is bogus).
 */
public final class AuthorityZones {
  private static final Logger log = LoggerFactory.getLogger(AuthorityZones.class);

  private final ZoneRepository files;
  private final DnssecSigning signing;
  private final SigningMetrics metrics;
  private final AtomicReference<ServedZones> current = new AtomicReference<>(ServedZones.unsigned(ZoneSet.empty()));

  /**
   * @param signing how to sign, or null to serve every zone unsigned
   * @param metrics where signatures are counted; null exactly when {@code signing} is
   */
  public AuthorityZones(ZoneRepository files, DnssecSigning signing, SigningMetrics metrics) {
    this.files = requireNonNull(files, "files");
    if ((signing == null) != (metrics == null)) {
      throw new IllegalArgumentException("signing and metrics: both or neither");
    }
    this.signing = signing;
    this.metrics = metrics;
  }

  /** Zones served unsigned from {@code files}, which the caller loads. */
  public static AuthorityZones unsigned(ZoneRepository files) {
    return new AuthorityZones(files, null, null);
  }

  /** What to answer from now. */
  public ServedZones current() {
    ServedZones served = current.get();
    if (signing == null && served.zones() != files.zones()) {
      return ServedZones.unsigned(files.zones()); // files reloaded directly (tests, scenarios)
    }
    return served;
  }

  /** The zone files behind the served zones. */
  public ZoneRepository files() {
    return files;
  }

  /**
   * Reads and signs every zone, then serves them all at once.
   *
   * @throws ZoneLoadException for a bad file or a zone that cannot be signed; nothing changes
   */
  public synchronized ServedZones reload() throws ZoneLoadException {
    ZoneSet loaded = files.load();
    Map<Name, SignedZone> signed = new LinkedHashMap<>();
    if (signing != null) {
      Instant now = signing.clock().instant();
      for (Zone zone : loaded.zones()) {
        if (signing.signer().signs(zone)) {
          signed.put(zone.origin(), sign(zone, now));
        }
      }
    }
    ServedZones served = serve(loaded, signed);
    ZoneRepository.logLoaded(loaded);
    for (SignedZone zone : signed.values()) {
      metrics.signed(zone, SigningMetrics.Reason.LOAD);
      log.info("signed zone {} serial {}: {} signatures, {}, valid until {}, renewal at {}", zone.origin(),
          zone.source().serial(), zone.signatureCount(), zone.keys(), zone.expiration(), zone.renewal());
    }
    return served;
  }

  /**
   * Signs again every zone whose renewal time has come, or whose keys (or a signed child's DS)
   * changed on disk, e.g. by a rollover's next phase (the background task's step).
   *
   * @return the zones signed anew; empty when none was due or nothing is signed
   */
  public synchronized List<SignedZone> renewDue() {
    if (signing == null) {
      return List.of();
    }
    Instant now = signing.clock().instant();
    ServedZones served = current.get();
    Map<Name, SignedZone> signed = new LinkedHashMap<>(served.signed());
    List<SignedZone> renewed = new ArrayList<>();
    for (SignedZone zone : served.signed().values()) {
      if (zone.needsRenewal(now) || signing.signer().keysChanged(zone, now)) {
        try {
          SignedZone fresh = sign(zone.source(), now);
          signed.put(fresh.origin(), fresh);
          renewed.add(fresh);
        } catch (ZoneLoadException e) {
          log.error("cannot renew the signatures of {} (they expire {}): {}", zone.origin(), zone.expiration(), e.getMessage());
        }
      }
    }
    if (renewed.isEmpty()) {
      return renewed;
    }
    serve(served.zones(), signed);
    for (SignedZone zone : renewed) {
      metrics.signed(zone, SigningMetrics.Reason.RENEWAL);
      log.info("renewed the signatures of {}: {} signatures, valid until {}, next renewal at {}", zone.origin(),
          zone.signatureCount(), zone.expiration(), zone.renewal());
    }
    return renewed;
  }

  private SignedZone sign(Zone zone, Instant now) throws ZoneLoadException {
    try {
      return signing.signer().sign(zone, now);
    } catch (RuntimeException e) {
      Path file = zone.source() != null ? zone.source() : Path.of(zone.origin().toString());
      throw new ZoneLoadException(file, 0, "cannot sign " + zone.origin() + ": " + e.getMessage(), e);
    }
  }

  private ServedZones serve(ZoneSet loaded, Map<Name, SignedZone> signed) {
    List<Zone> zones = new ArrayList<>();
    for (Zone zone : loaded.zones()) {
      SignedZone form = signed.get(zone.origin());
      zones.add(form != null ? form.servedZone() : zone);
    }
    ZoneSet zoneSet = new ZoneSet(zones);
    ServedZones served = new ServedZones(zoneSet, signed);
    current.set(served);
    files.serve(zoneSet);
    if (metrics != null) {
      metrics.serving(signed.values());
    }
    return served;
  }
}
