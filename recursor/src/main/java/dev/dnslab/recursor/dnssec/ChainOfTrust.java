package dev.dnslab.recursor.dnssec;

import dev.dnslab.core.transport.Timers;
import dev.dnslab.core.transport.WaitDeadline;
import dev.dnslab.core.wire.AncestorNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Walks the chain of trust (RFC 4035 5.1, 5.2) from the closest trust anchor down to a name: at
 * each label below the last secure zone it asks the {@link KeySource} for the DS RRset, checks it
 * (or the NSEC/NSEC3 proof that there is none) with that zone's keys, and at a secure cut fetches
 * the child's DNSKEY RRset and checks it against the DS. Everything learned goes into the {@link
 * KeyCache}, so the next walk starts where this one ended.
 */
final class ChainOfTrust {
  private final TrustAnchors anchors;
  private final KeySource keys;
  private final KeyCache cache;
  private final VerifiedSignatures verified;
  private final ValidationLimits limits;
  private final Clock clock;
  private final Timers timers;
  // The names the walks look up in the key cache: the same few zones for every name below one.
  private final AncestorNames ancestors = new AncestorNames();

  ChainOfTrust(TrustAnchors anchors, KeySource keys, KeyCache cache, VerifiedSignatures verified,
      ValidationLimits limits, Clock clock, Timers timers) {
    this.anchors = anchors;
    this.keys = keys;
    this.cache = cache;
    this.verified = verified;
    this.limits = limits;
    this.clock = clock;
    this.timers = timers;
  }

  /**
   * The trust of the deepest zone at or above {@code name} that the walk reaches: {@link
   * ZoneTrust.Secure} for the zone {@code name} is in (or is the apex of), {@link
   * ZoneTrust.Insecure} when an unsigned cut lies above it, {@link ZoneTrust.Failed} when the chain
   * breaks.
   */
  CompletableFuture<ZoneTrust> trustFor(Name name, WorkBudget budget) {
    Optional<Name> anchor = anchors.closestAnchor(name);
    if (anchor.isEmpty()) {
      return CompletableFuture.completedFuture(noAnchor(name));
    }
    ZoneTrust cached = deepestKnown(name, anchor.get());
    if (cached instanceof ZoneTrust.Secure secure) {
      return descend(secure, secure.zone(), name, budget);
    } else if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    Name zone = anchor.get();
    List<DSRecord> ds = anchors.ds(zone);
    return authenticateKeys(zone, ds, List.of(), List.of(), "trust anchor", budget)
        .thenCompose(trust -> trust instanceof ZoneTrust.Secure secure
            ? descend(secure, zone, name, budget)
            : CompletableFuture.completedFuture(trust));
  }

  /**
   * What {@link #trustFor} completes with at once when it is an insecure verdict the key cache
   * already holds (or no trust anchor lies above {@code name}): the same object, without a future;
   * null when {@code trustFor} would have to fetch, step down from a secure zone, or fail.
   */
  ZoneTrust.Insecure knownInsecure(Name name) {
    Optional<Name> anchor = anchors.closestAnchor(name);
    if (anchor.isEmpty()) {
      return noAnchor(name);
    }
    return deepestKnown(name, anchor.get()) instanceof ZoneTrust.Insecure insecure ? insecure : null;
  }

  /** The current key-cache entry nearest above (or at) {@code name}, below {@code anchor}; null when none. */
  private ZoneTrust deepestKnown(Name name, Name anchor) {
    Instant now = clock.instant();
    for (Name at = name; at != null && at.subdomain(anchor); at = ancestors.parent(at)) {
      ZoneTrust cached = cache.get(at, now);
      if (cached != null) {
        return cached;
      }
    }
    return null;
  }

  private static ZoneTrust.Insecure noAnchor(Name name) {
    return new ZoneTrust.Insecure(Name.root, Verdict.insecure("no trust anchor at or above " + name), List.of(),
        Instant.MAX);
  }

  /** One label further down from {@code reached} (a name in {@code zone} already examined). */
  private CompletableFuture<ZoneTrust> descend(ZoneTrust.Secure zone, Name reached, Name target, WorkBudget budget) {
    if (reached.equals(target)) {
      return CompletableFuture.completedFuture(zone);
    }
    if (zone.path().size() >= limits.maxChainDepth()) {
      return CompletableFuture.completedFuture(new ZoneTrust.Failed(zone.zone(), Verdict.bogus(
          "chain of trust to " + target + " deeper than " + limits.maxChainDepth() + " zones"), zone.path(),
          clock.instant(), 0));
    }
    Name next = ancestors.strip(target, target.labels() - reached.labels() - 1);
    Instant now = clock.instant();
    ZoneTrust cached = cache.get(next, now);
    if (cached instanceof ZoneTrust.Secure secure) {
      return descend(secure, next, target, budget);
    } else if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    if (cache.isNotACut(next, now)) {
      return descend(zone, next, target, budget);
    }
    // Asked at now: the key cache held no verdict on next then (KeyCache.failed counts retries by it).
    return fetch(next, Type.DS, budget).thenCompose(answer -> {
      if (answer.isEmpty()) {
        return failedCut(next, target, unreachable(next, Type.DS, null), zone.path(), now, budget);
      }
      return step(zone, next, target, answer.get(), now, budget);
    });
  }

  /**
   * Acts on the DS answer for {@code next}, a child name of the secure {@code zone}, asked at
   * {@code asked}.
   */
  private CompletableFuture<ZoneTrust> step(ZoneTrust.Secure zone, Name next, Name target, SignedAnswer answer,
      Instant asked, WorkBudget budget) {
    Instant now = clock.instant();
    String where = Validator.where(zone.zone(), answer.server());
    if (answer.rcode() != Rcode.NOERROR && answer.rcode() != Rcode.NXDOMAIN) {
      return failedCut(next, target, unreachable(next, Type.DS, answer), zone.path(), asked, budget);
    }
    RRset ds = find(answer.answer(), next, Type.DS);
    if (ds != null) {
      // RFC 4035 5.2: the DS RRset is the parent's data, signed by the parent's keys.
      SignatureChecker.Outcome checked = SignatureChecker.check(ds, zone.zone(), zone.keys(), now, budget, where,
          verified);
      if (checked instanceof SignatureChecker.Failed failure) {
        return failedCut(next, target, Verdict.bogus(failure.edeCode(), failure.reason()),
            ZoneTrust.extend(zone.path(), link(next, dsText(ds), List.of(), failure.signatures(), Security.BOGUS,
                failure.reason())), asked, budget);
      }
      List<DSRecord> records = ds.rrs(false).stream().map(DSRecord.class::cast).toList();
      Instant dsExpires = expiry(List.of(ds), now);
      return authenticateKeys(next, records, checked.signatures(), zone.path(),
          answer.server() == null ? "DS" : "DS from " + answer.server(), budget)
          .thenCompose(child -> {
            if (child instanceof ZoneTrust.Secure secure) {
              ZoneTrust.Secure capped = secure.expires().isAfter(dsExpires)
                  ? cache.put(new ZoneTrust.Secure(secure.zone(), secure.keys(), secure.path(), dsExpires))
                  : secure;
              return descend(capped, next, target, budget);
            }
            return CompletableFuture.completedFuture(child);
          });
    }
    if (find(answer.answer(), next, Type.CNAME) != null) {
      // An alias is never a zone cut (RFC 2181 10.1: CNAME stands alone); the data names its own signer.
      return CompletableFuture.completedFuture(zone);
    }
    List<RRset> denial = denialSets(answer.authority());
    if (denial.isEmpty()) {
      String reason = "no DS for " + next + " and no NSEC/NSEC3 proving there is none " + where;
      return CompletableFuture.completedFuture(failed(next,
          Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING, reason), zone.path(), asked));
    }
    for (RRset set : denial) {
      SignatureChecker.Outcome checked = SignatureChecker.check(set, zone.zone(), zone.keys(), now, budget, where,
          verified);
      if (checked instanceof SignatureChecker.Failed failure) {
        return failedCut(next, target, Verdict.bogus(failure.edeCode(), failure.reason()),
            zone.path(), asked, budget);
      }
    }
    Instant expires = expiry(denial, now);
    DenialProof.Fact fact = new DenialProof(zone.zone(), denial, budget).about(next);
    if (fact instanceof DenialProof.Exists exists) {
      if (exists.hasType(Type.DS)) {
        return failedCut(next, target, Verdict.bogus(
            "the DS query for " + next + " came back empty, yet its NSEC/NSEC3 lists a DS " + where), zone.path(),
            asked, budget);
      }
      if (exists.hasType(Type.SOA)) {
        return failedCut(next, target, Verdict.bogus(
            "the proof of no DS for " + next + " comes from the child's apex, not from " + zone.zone()
                + " (RFC 6840 4.4) " + where), zone.path(), asked, budget);
      }
      if (exists.hasType(Type.NS)) {
        // RFC 4035 5.2: a delegation with no DS is an unsigned (insecure) child.
        String reason = next + " is an unsigned delegation: the NSEC/NSEC3 of " + zone.zone() + " shows NS and no DS "
            + where;
        return CompletableFuture.completedFuture(insecure(next, Verdict.insecure(reason), zone.path(), expires));
      }
      cache.notACut(next, expires);
      return descend(zone, next, target, budget);
    }
    if (fact instanceof DenialProof.Absent absent) {
      if (absent.optOut()) {
        // RFC 5155 6, 8.6: an Opt-Out span may hide unsigned delegations; what is under it is insecure.
        String reason = next + " is covered by an NSEC3 Opt-Out span of " + zone.zone()
            + ": an unsigned delegation (RFC 5155 6) " + where;
        return CompletableFuture.completedFuture(insecure(next, Verdict.insecure(reason), zone.path(), expires));
      }
      // The name does not exist, so neither does anything below it: the target lies in this zone.
      return CompletableFuture.completedFuture(zone);
    }
    if (fact instanceof DenialProof.Insecure insecure) {
      return CompletableFuture.completedFuture(insecure(next, Verdict.insecure(insecure.reason() + " " + where), zone.path(),
          expires));
    }
    String reason = "no proof that " + next + " has no DS: " + ((DenialProof.Unproven) fact).reason() + " " + where;
    return failedCut(next, target, Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING, reason),
        zone.path(), asked, budget);
  }

  /**
   * RFC 4035 5.2: fetch {@code zone}'s DNSKEY RRset, find the keys the (authenticated) DS RRset
   * names, and check that one of them signed the set.
   */
  CompletableFuture<ZoneTrust> authenticateKeys(Name zone, List<DSRecord> ds, List<ChainLink.Signature> dsSignatures,
      List<ChainLink> parentPath, String dsSource, WorkBudget budget) {
    Instant now = clock.instant();
    List<String> dsText = ds.stream().map(Record::rdataToString).toList();
    List<DSRecord> usable = usable(ds);
    if (usable.isEmpty()) {
      // RFC 4035 5.2: no DS we can use means no authentication path: insecure, not bogus.
      boolean algorithms = ds.stream().anyMatch(d -> !SignatureChecker.SUPPORTED_ALGORITHMS.contains(d.getAlgorithm()));
      int ede = algorithms ? ExtendedErrorCodeOption.UNSUPPORTED_DNSKEY_ALGORITHM
          : ExtendedErrorCodeOption.UNSUPPORTED_DS_DIGEST_TYPE;
      String reason = "the DS of " + zone + " (" + dsSource + ") uses only unsupported "
          + (algorithms ? "algorithms " + ds.stream().map(DSRecord::getAlgorithm).distinct().toList()
              : "digest types " + ds.stream().map(DSRecord::getDigestID).distinct().toList())
          + " (RFC 4035 5.2, RFC 8624): treated as insecure";
      ChainLink link = link(zone, dsText, List.of(), List.of(), Security.INSECURE, reason);
      return CompletableFuture.completedFuture(cache.put(new ZoneTrust.Insecure(zone, Verdict.insecure(ede, reason),
          ZoneTrust.extend(parentPath, link), now.plus(limits.maxKeyTtl()))));
    }
    // Asked at now, as far as KeyCache.failed is concerned.
    return fetch(zone, Type.DNSKEY, budget).thenApply(fetched -> {
      if (fetched.isEmpty() || fetched.get().rcode() != Rcode.NOERROR && fetched.get().rcode() != Rcode.NXDOMAIN) {
        Verdict verdict = unreachable(zone, Type.DNSKEY, fetched.orElse(null));
        return failed(zone, verdict, ZoneTrust.extend(parentPath,
            link(zone, dsText, List.of(), List.of(), verdict.security(), verdict.reason())), now);
      }
      SignedAnswer answer = fetched.get();
      String where = Validator.where(zone, answer.server());
      RRset set = find(answer.answer(), zone, Type.DNSKEY);
      if (set == null) {
        String reason = "no DNSKEY RRset for " + zone + ", though its parent has a DS for it " + where;
        return failed(zone, Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING, reason), ZoneTrust.extend(parentPath,
            link(zone, dsText, List.of(), List.of(), Security.BOGUS, reason)), now);
      }
      List<DNSKEYRecord> all = set.rrs(false).stream().map(DNSKEYRecord.class::cast).toList();
      List<DNSKEYRecord> trusted = matching(all, usable, limits.maxKeysPerTag());
      List<ChainLink.KeyInfo> infos = all.stream().map(key -> new ChainLink.KeyInfo(key.getFootprint(),
          key.getFlags(), key.getAlgorithm(), (key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0,
          trusted.contains(key))).toList();
      if (trusted.isEmpty()) {
        String reason = "no DNSKEY of " + zone + " matches its DS " + ds.stream().map(d -> d.getFootprint() + "/"
            + d.getAlgorithm()).distinct().toList() + " (RFC 4035 5.2) " + where;
        return failed(zone, Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING, reason), ZoneTrust.extend(parentPath,
            link(zone, dsText, infos, List.of(), Security.BOGUS, reason)), now);
      }
      SignatureChecker.Outcome checked = SignatureChecker.check(set, zone, trusted, now, budget, where,
          verified);
      List<ChainLink.Signature> signatures = new ArrayList<>(dsSignatures);
      signatures.addAll(checked.signatures());
      if (checked instanceof SignatureChecker.Verified verified) {
        String reason = "DNSKEY set signed by key " + verified.key().getFootprint() + ", which the " + dsSource
            + " names";
        List<DNSKEYRecord> zoneKeys = all.stream().filter(SignatureChecker::isZoneKey).toList();
        Instant expires = expiry(List.of(set), now);
        return cache.put(new ZoneTrust.Secure(zone, zoneKeys, ZoneTrust.extend(parentPath,
            link(zone, dsText, infos, signatures, Security.SECURE, reason)), expires));
      }
      SignatureChecker.Failed failure = (SignatureChecker.Failed) checked;
      String reason = "the DNSKEY set of " + zone + " is not signed by a key its DS names: " + failure.reason();
      return failed(zone, Verdict.bogus(failure.edeCode(), reason), ZoneTrust.extend(parentPath,
          link(zone, dsText, infos, signatures, Security.BOGUS, reason)), now);
    });
  }

  /**
   * The DS records we can use: a supported algorithm and digest (RFC 4035 5.2), and, when a SHA-256
   * or SHA-384 DS is there, no SHA-1 one (RFC 4509 3).
   */
  static List<DSRecord> usable(List<DSRecord> ds) {
    List<DSRecord> supported = ds.stream()
        .filter(d -> SignatureChecker.SUPPORTED_ALGORITHMS.contains(d.getAlgorithm()))
        .filter(d -> SignatureChecker.SUPPORTED_DIGESTS.contains(d.getDigestID()))
        .toList();
    boolean stronger = supported.stream().anyMatch(d -> d.getDigestID() != DNSSEC.Digest.SHA1);
    return stronger ? supported.stream().filter(d -> d.getDigestID() != DNSSEC.Digest.SHA1).toList()
        : supported;
  }

  /**
   * The zone keys a DS names: same tag and algorithm, and dnsjava's digest of the key ({@link
   * DSRecord}'s constructor) equal to the DS's; at most {@code perTag} keys with one tag are hashed.
   */
  static List<DNSKEYRecord> matching(List<DNSKEYRecord> keys, List<DSRecord> ds, int perTag) {
    List<DNSKEYRecord> trusted = new ArrayList<>();
    for (DSRecord record : ds) {
      keys.stream()
          .filter(key -> key.getFootprint() == record.getFootprint() && key.getAlgorithm() == record.getAlgorithm())
          .filter(SignatureChecker::isZoneKey)
          .limit(perTag)
          .filter(key -> Arrays.equals(record.getDigest(),
              new DSRecord(key.getName(), key.getDClass(), 0, record.getDigestID(), key).getDigest()))
          .filter(key -> !trusted.contains(key))
          .forEach(trusted::add);
    }
    return trusted;
  }

  /** The signatures already verified, shared by every answer's check. */
  VerifiedSignatures verifiedSignatures() {
    return verified;
  }

  /** A fetch, counted and bounded in time; empty when it failed or timed out. */
  private CompletableFuture<Optional<SignedAnswer>> fetch(Name name, int type, WorkBudget budget) {
    budget.keyFetch();
    CompletableFuture<SignedAnswer> fetched;
    try {
      fetched = keys.fetch(name, type).toCompletableFuture().copy();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    // The validation goes on once the fetch's timer is taken back (most fetches answer in time).
    return timeOut(fetched).handle((answer, error) -> Optional.ofNullable(error == null ? answer : null));
  }

  /**
   * Fails {@code fetched} after {@link ValidationLimits#keyFetchTimeout()}, on the validator's
   * timers (the recursor's: the loop of the resolution asking), so the validation goes on from
   * there. Not orTimeout: its timeout fired on the JDK's one Delayer thread, which then ran the rest
   * of the validation and its client's answer off the event loops, and every timer stayed queued
   * for the whole timeout. When the timers refuse (the recursor is closing: no fetch would be
   * timed, and no answer leaves anyway), the fetch fails at once.
   *
   * @return the fetch, completing once its timer is taken back ({@link WaitDeadline#arm})
   */
  private CompletableFuture<SignedAnswer> timeOut(CompletableFuture<SignedAnswer> fetched) {
    return WaitDeadline.arm(timers, fetched, limits.keyFetchTimeout(),
        () -> fetched.completeExceptionally(new TimeoutException()), fetched::completeExceptionally);
  }

  /**
   * The verdict on {@code zone} once this walk's fetch failed ({@link KeyCache#failed}): the
   * failure, or the keys (or proof of none) another walk stored meanwhile, which this walk then
   * goes on with, as with keys it found cached.
   *
   * @param asked when this walk asked for the DS or DNSKEY that failed
   */
  private ZoneTrust failed(Name zone, Verdict verdict, List<ChainLink> path, Instant asked) {
    return cache.failed(zone, verdict, path, asked, clock.instant());
  }

  /**
   * {@link #failed} at the cut {@code next} on the way to {@code target}: when {@code next}'s keys
   * are known after all, the walk goes on below it.
   */
  private CompletableFuture<ZoneTrust> failedCut(Name next, Name target, Verdict verdict, List<ChainLink> path,
      Instant asked, WorkBudget budget) {
    ZoneTrust kept = failed(next, verdict, path, asked);
    return kept instanceof ZoneTrust.Secure secure ? descend(secure, next, target, budget)
        : CompletableFuture.completedFuture(kept);
  }

  private ZoneTrust.Insecure insecure(Name zone, Verdict verdict, List<ChainLink> parentPath, Instant expires) {
    ChainLink link = link(zone, List.of(), List.of(), List.of(), Security.INSECURE, verdict.reason());
    return cache.put(new ZoneTrust.Insecure(zone, verdict, ZoneTrust.extend(parentPath, link), expires));
  }

  /** RFC 8914 22 when the key source reached no authority, 5 when it gave up otherwise. */
  private static Verdict unreachable(Name name, int type, SignedAnswer answer) {
    if (answer == null) {
      return Verdict.indeterminate(ExtendedErrorCodeOption.DNSSEC_INDETERMINATE,
          "could not fetch " + name + "/" + Type.string(type) + " to validate with (timed out or failed)");
    }
    return Verdict.indeterminate(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
        "could not fetch " + name + "/" + Type.string(type) + ": " + Rcode.string(answer.rcode())
            + (answer.server() == null ? "" : " from " + answer.server()));
  }

  /** When what {@code sets} taught us expires: the least TTL or RRSIG expiry, at most maxKeyTtl from now. */
  Instant expiry(List<RRset> sets, Instant now) {
    Instant expires = now.plus(limits.maxKeyTtl());
    for (RRset set : sets) {
      Instant byTtl = now.plus(Duration.ofSeconds(set.getTTL()));
      if (byTtl.isBefore(expires)) {
        expires = byTtl;
      }
      for (var sig : set.sigs()) {
        if (sig.getExpire().isBefore(expires)) {
          expires = sig.getExpire();
        }
      }
    }
    return expires;
  }

  static RRset find(List<RRset> sets, Name name, int type) {
    for (RRset set : sets) {
      if (set.getType() == type && set.getName().equals(name) && !set.rrs(false).isEmpty()) {
        return set;
      }
    }
    return null;
  }

  /** The NSEC and NSEC3 RRsets of a section. */
  static List<RRset> denialSets(List<RRset> sets) {
    return sets.stream()
        .filter(set -> (set.getType() == Type.NSEC || set.getType() == Type.NSEC3) && !set.rrs(false).isEmpty())
        .toList();
  }

  private static List<String> dsText(RRset ds) {
    return ds.rrs(false).stream().map(Record::rdataToString).toList();
  }

  static ChainLink link(Name zone, List<String> ds, List<ChainLink.KeyInfo> keys, List<ChainLink.Signature> signatures,
      Security security, String reason) {
    return new ChainLink(zone, ds, keys, signatures, security, reason);
  }

  /** Unwraps {@link CompletionException}s. */
  static Throwable cause(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
