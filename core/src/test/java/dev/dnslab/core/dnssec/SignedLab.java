package dev.dnslab.core.dnssec;

import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Every lab zone from {@code zones/}, signed by the lab policy with keys in a given folder. */
final class SignedLab {
  final KeyDirectory keys;
  final ZoneSigner signer;
  final Instant signedAt;
  final Map<Name, SignedZone> signed = new TreeMap<>();
  final Map<Name, Zone> unsigned = new TreeMap<>();
  /** The folder under zones/ (root, tld, authoritative) each zone comes from: its server. */
  final Map<Name, String> folders = new TreeMap<>();

  private SignedLab(KeyDirectory keys, ZoneSigner signer, Instant signedAt) {
    this.keys = keys;
    this.signer = signer;
    this.signedAt = signedAt;
  }

  static SignedLab sign(Path keyDir, Instant now) throws Exception {
    return sign(keyDir, now, UnaryOperator.identity());
  }

  /** As {@link #sign(Path, Instant)}, with each zone's records rewritten first (another address plan). */
  static SignedLab sign(Path keyDir, Instant now, UnaryOperator<Record> rewrite) throws Exception {
    KeyDirectory keys = new KeyDirectory(keyDir);
    DnssecPolicy policy = DnssecPolicy.readIn(AuthorityFixture.LAB_ZONES);
    SignedLab lab = new SignedLab(keys, new ZoneSigner(keys, policy, SignatureWindow.DEFAULT), now);
    ZoneFileLoader loader = new ZoneFileLoader(rewrite);
    for (String file : BundledZones.FILES) {
      Zone zone = loader.load(AuthorityFixture.LAB_ZONES.resolve(file));
      lab.folders.put(zone.origin(), file.substring(0, file.indexOf('/')));
      if (lab.signer.signs(zone)) {
        lab.signed.put(zone.origin(), lab.signer.sign(zone, now));
      } else {
        lab.unsigned.put(zone.origin(), zone);
      }
    }
    return lab;
  }

  SignedZone zone(String origin) {
    return signed.get(Name.fromConstantString(origin));
  }

  /** The signed zone that delegates {@code child}: the closest enclosing lab zone above it. */
  SignedZone parentOf(Name child) {
    for (Name name = new Name(child, 1); ; name = new Name(name, 1)) {
      if (signed.containsKey(name)) {
        return signed.get(name);
      }
      if (name.equals(Name.root)) {
        return null;
      }
    }
  }

  /** Writes every zone, signed or not, into {@code dir} as master files. */
  void export(Path dir) throws Exception {
    for (SignedZone zone : signed.values()) {
      SignedZoneWriter.write(dir, zone);
    }
    for (Zone zone : unsigned.values()) {
      SignedZoneWriter.write(dir, zone);
    }
  }
}
