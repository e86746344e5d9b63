package dev.dnslab.recursor.dnssec;

import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.SignedZone;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The chains of trust of the real signed lab, as {@link Validation} values, for the renderers of
 * {@code /trace}, {@code dnslab visit} and the console until the recursor's own validator feeds
 * them. Every lab zone of {@code zones/} is signed by the lab policy ({@code zones/dnssec.yaml});
 * each link's DS is matched to a DNSKEY by digest and each signature is checked with dnsjava's
 * {@code DNSSEC.verify} (RFC 4035 5), so the verdicts are the lab's real ones, not made up.
 */
public final class LabChainOfTrust {
  /** The repository's zones, seen from a module folder (where surefire runs). */
  public static final Path LAB_ZONES = Path.of("..", "zones");

  private final Map<Name, SignedZone> signed = new TreeMap<>();
  private final Set<Name> unsigned = new TreeSet<>();
  private final TrustAnchor anchor;
  private final Instant now;

  private LabChainOfTrust(TrustAnchor anchor, Instant now) {
    this.anchor = anchor;
    this.now = now;
  }

  /**
   * The lab as signed, and the same lab with google.com's keys rolled without a new DS at com: the
   * secure, insecure and bogus chains the renderers draw.
   *
   * @param secure every lab zone signed with the keys com's DS names
   * @param dsMismatch google.com signed with keys com has no DS for (the chain breaks at google.com.)
   */
  public record Signed(LabChainOfTrust secure, LabChainOfTrust dsMismatch) {
    /** Signs both now, with keys in {@code dir}/keys and the rolled ones in {@code dir}/rolled-keys. */
    public static Signed in(Path dir) throws Exception {
      Instant now = Instant.now();
      return new Signed(sign(dir.resolve("keys"), now),
          signWithRolledKeys(dir.resolve("keys"), dir.resolve("rolled-keys"), "google.com.", now));
    }
  }

  /** Every lab zone signed at {@code now} with keys made in {@code keyDir}. */
  public static LabChainOfTrust sign(Path keyDir, Instant now) throws Exception {
    return sign(keyDir, now, null, null);
  }

  /**
   * As {@link #sign}, then {@code zone} signed again with new keys from {@code rolledKeyDir} that its
   * parent has no DS for: a botched key rollover, what the {@code dnssec-ds-mismatch} scenario shows
   * a resolver (the chain breaks at {@code zone}).
   */
  public static LabChainOfTrust signWithRolledKeys(Path keyDir, Path rolledKeyDir, String zone, Instant now)
      throws Exception {
    return sign(keyDir, now, rolledKeyDir, Name.fromString(zone));
  }

  private static LabChainOfTrust sign(Path keyDir, Instant now, Path rolledKeyDir, Name rolled) throws Exception {
    DnssecPolicy policy = DnssecPolicy.readIn(LAB_ZONES);
    ZoneSigner signer = new ZoneSigner(new KeyDirectory(keyDir), policy, SignatureWindow.DEFAULT);
    ZoneSigner rolledSigner = rolledKeyDir == null ? null
        : new ZoneSigner(new KeyDirectory(rolledKeyDir), policy, SignatureWindow.DEFAULT);
    ZoneFileLoader loader = new ZoneFileLoader();
    List<Zone> zones = new ArrayList<>();
    for (String file : BundledZones.FILES) {
      zones.add(loader.load(LAB_ZONES.resolve(file)));
    }
    Map<Name, SignedZone> signedZones = new TreeMap<>();
    Set<Name> unsignedZones = new TreeSet<>();
    for (Zone zone : zones) {
      if (!signer.signs(zone)) {
        unsignedZones.add(zone.origin());
      } else if (zone.origin().equals(rolled)) {
        signedZones.put(zone.origin(), rolledSigner.sign(zone, now));
      } else {
        signedZones.put(zone.origin(), signer.sign(zone, now));
      }
    }
    // The root's keys exist once the root is signed; its DS is the anchor, as `dnslab trust-anchor` writes it.
    LabChainOfTrust lab = new LabChainOfTrust(TrustAnchor.of(new KeyDirectory(keyDir).load(Name.root).orElseThrow()), now);
    lab.signed.putAll(signedZones);
    lab.unsigned.addAll(unsignedZones);
    return lab;
  }

  /** The signed zone {@code origin}, as its server serves it. */
  public SignedZone zone(String origin) {
    return signed.get(Name.fromConstantString(origin));
  }

  /**
   * Walks the chain of trust for {@code qname}/{@code qtype} from the root's trust anchor: DS to
   * DNSKEY in each zone (RFC 4035 5.2), then the data's RRSIG (5.3), or the NSEC/NSEC3 record that
   * denies it.
   */
  public Validation validate(String qname, int qtype) throws Exception {
    Name name = Name.fromString(qname);
    List<Name> path = new ArrayList<>();
    for (Name zone : allZones()) {
      if (name.subdomain(zone)) {
        path.add(zone);
      }
    }
    path.sort(Comparator.comparingInt(Name::labels));
    List<ChainLink> links = new ArrayList<>();
    List<DSRecord> ds = anchor.ds();
    String dsFrom = "the trust anchor";
    for (int i = 0; i < path.size(); i++) {
      Name zoneName = path.get(i);
      if (unsigned.contains(zoneName)) {
        String reason = "no DS for " + zoneName + " at " + path.get(i - 1)
            + ": its signed denial proves the delegation unsigned (RFC 4035 5.2)";
        links.add(new ChainLink(zoneName, List.of(), List.of(), List.of(), Security.INSECURE, reason));
        return new Validation(Verdict.insecure(qname + " is under the unsigned delegation " + zoneName), links);
      }
      SignedZone zone = signed.get(zoneName);
      RRset dnskeys = zone.rrset(zoneName, Type.DNSKEY);
      List<DNSKEYRecord> keys = dnskeys.rrs(false).stream().map(DNSKEYRecord.class::cast).toList();
      List<ChainLink.KeyInfo> keyInfos = new ArrayList<>();
      List<DNSKEYRecord> trusted = new ArrayList<>();
      for (DNSKEYRecord key : keys) {
        boolean matches = ds.stream().anyMatch(d -> digestMatches(d, key));
        if (matches) {
          trusted.add(key);
        }
        keyInfos.add(new ChainLink.KeyInfo(key.getFootprint(), key.getFlags(), key.getAlgorithm(),
            (key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0, matches));
      }
      List<String> dsText = ds.stream().map(Record::toString).toList();
      List<ChainLink.Signature> signatures = new ArrayList<>(verify(dnskeys, trusted));
      if (signatures.stream().noneMatch(s -> s.result() == Security.SECURE)) {
        String reason = "no DNSKEY of " + zoneName + " matches the DS from " + dsFrom + " (key tags "
            + ds.stream().map(d -> Integer.toString(d.getFootprint())).toList() + "), so its DNSKEY set is not trusted"
            + " (RFC 4035 5.2)";
        links.add(new ChainLink(zoneName, dsText, keyInfos, signatures, Security.BOGUS, reason));
        return new Validation(Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING, reason + " (zone " + zoneName + ")"),
            links);
      }
      boolean last = i == path.size() - 1;
      RRset signedBelow;
      if (!last && signed.containsKey(path.get(i + 1))) {
        signedBelow = zone.rrset(path.get(i + 1), Type.DS);
        ds = signedBelow.rrs(false).stream().map(DSRecord.class::cast).toList();
        dsFrom = zoneName.toString();
      } else {
        Name target = last ? name : path.get(i + 1);
        RRset data = zone.rrset(target, last ? qtype : Type.DS);
        signedBelow = data != null ? data : denialOf(zone, target);
      }
      signatures.addAll(verify(signedBelow, keys));
      int signedBy = signatures.get(0).keyTag();
      links.add(new ChainLink(zoneName, dsText, keyInfos, signatures, Security.SECURE,
          "DNSKEY set signed by key " + signedBy + ", which " + (i == 0 ? "the trust anchor" : "the DS from " + path.get(i - 1))
              + " names"));
    }
    return new Validation(Verdict.secure(qname + " " + Type.string(qtype) + ": chain of trust from the root's trust anchor to "
        + path.get(path.size() - 1)), links);
  }

  private List<Name> allZones() {
    List<Name> zones = new ArrayList<>(signed.keySet());
    zones.addAll(unsigned);
    return zones;
  }

  /** The NSEC or NSEC3 RRset, with its RRSIGs, that proves {@code name} has no such data. */
  private static RRset denialOf(SignedZone zone, Name name) {
    Record proof = zone.chain().matching(name);
    if (proof == null) {
      proof = zone.chain().covering(name);
    }
    return zone.rrset(proof.getName(), proof.getType());
  }

  private List<ChainLink.Signature> verify(RRset set, List<DNSKEYRecord> keys) {
    List<ChainLink.Signature> results = new ArrayList<>();
    for (RRSIGRecord sig : set.sigs()) {
      DNSKEYRecord key = keys.stream().filter(k -> k.getFootprint() == sig.getFootprint() && k.getAlgorithm() == sig.getAlgorithm())
          .findFirst().orElse(null);
      if (key == null) {
        continue;
      }
      Name owner = set.getName();
      String type = Type.string(set.getType());
      try {
        DNSSEC.verify(set, sig, key, now);
        results.add(new ChainLink.Signature(owner, type, sig.getFootprint(), Security.SECURE,
            "verified with key " + sig.getFootprint() + " until " + sig.getExpire()));
      } catch (DNSSEC.DNSSECException e) {
        results.add(new ChainLink.Signature(owner, type, sig.getFootprint(), Security.BOGUS, e.getMessage()));
      }
    }
    return results;
  }

  /** RFC 4034 5.1.4: the DS digest is over the key's owner name and RDATA. */
  private static boolean digestMatches(DSRecord ds, DNSKEYRecord key) {
    if (ds.getFootprint() != key.getFootprint() || ds.getAlgorithm() != key.getAlgorithm()) {
      return false;
    }
    DSRecord computed = new DSRecord(key.getName(), DClass.IN, ds.getTTL(), ds.getDigestID(), key);
    return Arrays.equals(ds.getDigest(), computed.getDigest());
  }
}
