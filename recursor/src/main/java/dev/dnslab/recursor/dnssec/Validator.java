package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.transport.Timers;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The validation engine (RFC 4033, 4034, 4035, 5155, 6840, 9276): from the trust anchors down,
 * DS to DNSKEY to each RRset of an answer, and the NSEC/NSEC3 proofs of negative and wildcard
 * answers. Signatures are checked with dnsjava's {@code DNSSEC.verify}.
 *
 * <p>Thread-safe and never blocking: keys come from the {@link KeySource} as futures, and validated
 * DNSKEY sets and DS verdicts are kept in the validator's own key cache with their TTLs, so a warm
 * validator fetches nothing. Work is bounded by {@link ValidationLimits} (KeyTrap,
 * CVE-2023-50387; NSEC3 hashing, CVE-2023-50868).
 *
 * <pre>{@code
 * Validator validator = new Validator(TrustAnchors.read(anchorFile), keySource,
 *     ResolutionLimits.DEFAULT.validation(), Clock.systemUTC());
 * validator.validate(SignedAnswer.of(response, "192.0.2.1")).thenAccept(v -> log(v.verdict()));
 * }</pre>
 */
public final class Validator {
  private static final Logger log = LoggerFactory.getLogger(Validator.class);

  private final ValidationLimits limits;
  private final Clock clock;
  private final KeyCache cache;
  private final VerifiedSignatures signatures = new VerifiedSignatures();
  private final ChainOfTrust chain;
  /**
   * The validation made last, handed out again for the next answer whose validation comes out the
   * same: the same verdict object, equal chain links (the key cache's, for data below an unsigned
   * cut it knows), the same work. Every answer of an unsigned zone gets such a verdict, and the
   * recursor keeps one per cached answer: under a flood of new names each kept its own Validation,
   * chain list and work counts (~100 bytes) saying what the one before it said. Racy on purpose: a
   * validation made on another thread meanwhile only means one more copy.
   */
  private volatile Validation last;

  /** A validator whose fetches are timed on Netty's global timer thread ({@link Timers#GLOBAL}). */
  public Validator(TrustAnchors anchors, KeySource keys, ValidationLimits limits, Clock clock) {
    this(anchors, keys, limits, clock, Timers.GLOBAL);
  }

  /**
   * @param timers times each DS and DNSKEY fetch ({@link ValidationLimits#keyFetchTimeout()}); a
   *     validation whose fetch times out goes on on the timer's thread: its verdict, the key cache it
   *     writes, and the resolution and client answer waiting for it
   */
  public Validator(TrustAnchors anchors, KeySource keys, ValidationLimits limits, Clock clock, Timers timers) {
    requireNonNull(anchors, "anchors");
    requireNonNull(keys, "keys");
    this.limits = requireNonNull(limits, "limits");
    this.clock = requireNonNull(clock, "clock");
    this.cache = new KeyCache(limits, clock);
    this.chain = new ChainOfTrust(anchors, keys, cache, signatures, limits, clock, requireNonNull(timers, "timers"));
  }

  /**
   * Validates one answer. The future never completes exceptionally: a cap of the {@link
   * ValidationLimits} reached makes the verdict bogus (EDE 6), anything unexpected indeterminate
   * (EDE 5).
   */
  public CompletableFuture<Validation> validate(SignedAnswer answer) {
    requireNonNull(answer, "answer");
    WorkBudget budget = new WorkBudget(limits);
    AnswerCheck check = new AnswerCheck(answer, chain, budget, clock);
    CompletableFuture<Verdict> verdict;
    try {
      verdict = check.run();
    } catch (RuntimeException e) {
      verdict = CompletableFuture.failedFuture(e);
    }
    return verdict.handle((result, error) -> {
      Verdict outcome = error == null ? result : verdictFor(ChainOfTrust.cause(error), answer);
      return shared(outcome, check.chain(), budget.work());
    });
  }

  private Validation shared(Verdict verdict, List<ChainLink> links, Validation.ValidationWork work) {
    Validation previous = last;
    // The verdict by identity first: a secure one is made per answer, so only verdicts of the key
    // cache (an unsigned cut's) get as far as comparing chains, whose links are then the same objects.
    if (previous != null && previous.verdict() == verdict && previous.work().equals(work)
        && previous.chain().equals(links)) {
      return previous;
    }
    Validation made = new Validation(verdict, links, work);
    last = made;
    return made;
  }

  /**
   * Forgets every validated key and DS verdict, and every signature verified (e.g. after a key
   * rollover in the lab).
   */
  public void flushKeys() {
    cache.clear();
    signatures.clear();
  }

  /**
   * Whether the key cache holds a current verdict on {@code zone}'s keys (secure, insecure or
   * failed), so that validating data of the zone fetches no DNSKEY for it.
   */
  public boolean knowsKeysOf(Name zone) {
    return cache.get(zone, clock.instant()) != null;
  }

  /** Entries in the key cache: zones with keys or verdicts, and names known not to be cuts. */
  public int cachedKeyEntries() {
    return cache.size();
  }

  private static Verdict verdictFor(Throwable error, SignedAnswer answer) {
    String subject = answer.qname() + "/" + Type.string(answer.qtype());
    if (error instanceof WorkBudget.WorkLimitExceededException limit) {
      return Verdict.bogus(limit.getMessage() + ", validating " + subject
          + (answer.server() == null ? "" : " (server " + answer.server() + ")"));
    }
    log.warn("validation of {} failed unexpectedly", subject, error);
    return Verdict.indeterminate(ExtendedErrorCodeOption.DNSSEC_INDETERMINATE,
        "validation of " + subject + " failed: " + error);
  }

  /** The EXTRA-TEXT suffix naming the zone and, when known, the server: {@code (zone z., server s)}. */
  static String where(Name zone, String server) {
    return "(zone " + zone + (server == null ? "" : ", server " + server) + ")";
  }
}
