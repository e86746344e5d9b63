package dev.dnslab.recursor.dnssec;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The validation of one answer (RFC 4035 5.3 to 5.5): each RRset of the answer section with the
 * keys of the zone its RRSIGs name (so a CNAME chain across zones is checked zone by zone), the
 * proof of a wildcard expansion, and for a negative answer (NXDOMAIN or NODATA at the end of the
 * CNAME chain) the NSEC or NSEC3 proof. Unsigned data is insecure only when the chain of trust
 * proves an unsigned cut above it. One instance per answer; its steps run one after another.
 */
final class AnswerCheck {
  /** The order {@link #combine} ranks verdicts in: the first level any verdict has wins. */
  private static final Security[] WORST_FIRST = {Security.BOGUS, Security.INDETERMINATE, Security.INSECURE};

  private final SignedAnswer answer;
  private final ChainOfTrust chain;
  private final WorkBudget budget;
  private final Clock clock;
  /**
   * The one zone trust recorded while no other is: an answer of an unsigned zone records its cut's
   * trust once per name, the same object each time, and its chain is then that trust's path, with
   * no map of links made per answer. Null when nothing is recorded, or once {@link #links} holds more.
   */
  private ZoneTrust onlyTrust;
  /** The chain's links by zone, in order, once a second trust was recorded; null until then. */
  private Map<Name, ChainLink> links;
  /** Signatures checked, by the zone that made them; null until the first. */
  private Map<Name, List<ChainLink.Signature>> signatures;
  private final List<Verdict> verdicts = new ArrayList<>(2);

  AnswerCheck(SignedAnswer answer, ChainOfTrust chain, WorkBudget budget, Clock clock) {
    this.answer = answer;
    this.chain = chain;
    this.budget = budget;
    this.clock = clock;
  }

  /** The combined verdict: bogus over indeterminate over insecure over secure. */
  CompletableFuture<Verdict> run() {
    if (answer.rcode() != Rcode.NOERROR && answer.rcode() != Rcode.NXDOMAIN) {
      // RFC 4035 5: only answers and denials carry proofs; a failure has nothing to validate.
      return CompletableFuture.completedFuture(Verdict.indeterminate(ExtendedErrorCodeOption.DNSSEC_INDETERMINATE,
          "nothing to validate in a " + Rcode.string(answer.rcode()) + " answer for " + answer.qname()
              + (answer.server() == null ? "" : " from " + answer.server())));
    }
    // Loops rather than streams: this runs for every answer validated.
    List<RRset> data = new ArrayList<>(answer.answer().size());
    for (RRset set : answer.answer()) {
      if (set.size() > 0) {
        data.add(set);
      }
    }
    Name finalName = finalName(data);
    boolean positive = false;
    for (RRset set : data) {
      positive |= answer.rcode() == Rcode.NOERROR && set.getName().equals(finalName)
          && (set.getType() == answer.qtype() || answer.qtype() == Type.ANY);
    }
    // What proves a negative answer, found once for both the shortcut and the steps.
    List<RRset> proofs = positive ? List.of() : denialProofs();
    Verdict unsigned = insecureAtOnce(data, positive, finalName, proofs);
    if (unsigned != null) {
      return CompletableFuture.completedFuture(unsigned);
    }
    CompletableFuture<Void> steps = CompletableFuture.completedFuture(null);
    for (RRset set : data) {
      steps = steps.thenCompose(ignored -> failedAlready() ? done() : positive(set, data).thenAccept(verdicts::add));
    }
    if (!positive) {
      steps = steps.thenCompose(ignored -> failedAlready() ? done()
          : negative(finalName, answer.rcode() == Rcode.NXDOMAIN, proofs).thenAccept(verdicts::add));
    }
    return steps.thenApply(ignored -> combine());
  }

  /** The chain of trust of every zone this answer touched, from the anchor down, with the signatures checked. */
  List<ChainLink> chain() {
    if (links == null && signatures == null) {
      // One trust's own path, immutable (ZoneTrust copies it): no list made per answer.
      return onlyTrust != null ? onlyTrust.path() : List.of();
    }
    Collection<ChainLink> recorded = links != null ? links.values() : onlyTrust != null ? onlyTrust.path() : List.of();
    List<ChainLink> out = new ArrayList<>(recorded.size());
    for (ChainLink link : recorded) {
      List<ChainLink.Signature> extra = signatures == null ? List.of() : signatures.getOrDefault(link.zone(), List.of());
      if (extra.isEmpty()) {
        out.add(link);
      } else {
        List<ChainLink.Signature> all = new ArrayList<>(link.signatures());
        all.addAll(extra);
        out.add(new ChainLink(link.zone(), link.ds(), link.dnskeys(), all, link.security(), link.reason()));
      }
    }
    return out;
  }

  /**
   * RFC 4035 5.2, RFC 4033 5: the verdict of an answer none of whose data is signed, when every
   * name the steps of {@link #run} would ask the chain of trust about lies below an unsigned cut the
   * key cache already knows, so each step's verdict is that cut's insecure verdict. The same
   * verdict, with the same chain, as the steps give (they would complete at once), without a
   * future or a string per RRset: the path of every answer from an unsigned zone. Null otherwise,
   * with nothing recorded.
   */
  private Verdict insecureAtOnce(List<RRset> data, boolean positive, Name finalName, List<RRset> proofs) {
    for (int i = 0, n = data.size(); i < n; i++) { // by index: no iterator per answer
      RRset set = data.get(i);
      if (signerOf(set) != null || set.getType() == Type.CNAME && synthesizedFromDname(set, data)
          || !recordedInsecure(set.getName())) {
        return forgetRecorded();
      }
    }
    if (!positive && (denialSigner(finalName, proofs) != null || !recordedInsecure(finalName))) {
      return forgetRecorded();
    }
    return combine();
  }

  /** Whether {@code name} lies below a known unsigned cut; if so, records that cut's chain and verdict. */
  private boolean recordedInsecure(Name name) {
    ZoneTrust.Insecure trust = chain.knownInsecure(name);
    if (trust == null) {
      return false;
    }
    record(trust);
    verdicts.add(trust.verdict());
    return true;
  }

  private Verdict forgetRecorded() {
    onlyTrust = null;
    links = null;
    verdicts.clear();
    return null;
  }

  /** The zone whose RRSIG over {@code set} the set's validation uses: a signer above its owner; null when unsigned. */
  private static Name signerOf(RRset set) {
    Name owner = set.getName();
    for (RRSIGRecord sig : set.sigs()) {
      if (sig.getTypeCovered() == set.getType() && owner.subdomain(sig.getSigner())) {
        return sig.getSigner();
      }
    }
    return null;
  }

  /** RFC 4035 5.3: one RRset of the answer section. */
  private CompletableFuture<Verdict> positive(RRset set, List<RRset> data) {
    Name owner = set.getName();
    Name signer = signerOf(set);
    if (signer == null) {
      if (set.getType() == Type.CNAME && synthesizedFromDname(set, data)) {
        // RFC 6672 5.3.1: a CNAME synthesized from a DNAME is unsigned; the DNAME's own check covers it.
        return CompletableFuture.completedFuture(Verdict.secure(subject(set) + " synthesized from a signed DNAME"));
      }
      return chain.trustFor(owner, budget).thenApply(trust -> {
        record(trust);
        if (trust instanceof ZoneTrust.Secure secure) {
          return Verdict.bogus(ExtendedErrorCodeOption.RRSIGS_MISSING, "no RRSIG for " + subject(set)
              + " in the signed zone " + secure.zone() + " " + Validator.where(secure.zone(), answer.server()));
        }
        return verdictOf(trust);
      });
    }
    String subject = subject(set);
    return withKeysOf(signer, subject, (secure, where) -> {
      SignatureChecker.Outcome checked = SignatureChecker.check(set, signer, secure.keys(), now(), budget, where,
          chain.verifiedSignatures());
      signatures().computeIfAbsent(signer, z -> new ArrayList<>()).addAll(checked.signatures());
      if (checked instanceof SignatureChecker.Failed failure) {
        return Verdict.bogus(failure.edeCode(), failure.reason());
      }
      RRSIGRecord signature = ((SignatureChecker.Verified) checked).signature();
      int ownerLabels = owner.labels() - 1 - (owner.isWild() ? 1 : 0);
      if (signature.getLabels() < ownerLabels) {
        return wildcardExpansion(set, signature, secure, where);
      }
      int keyTag = signature.getFootprint();
      int type = set.getType();
      return Verdict.secure(() -> subject(owner, type) + " signed by key " + keyTag + " of " + signer);
    });
  }

  /**
   * Runs {@code check} with the validated keys of {@code signer} and the EXTRA-TEXT suffix naming
   * it; the verdict of the chain instead when the signer's zone is insecure or broken, bogus when
   * the signer is no zone at all (RFC 4035 5.3.1: the signer must be the zone that holds the data).
   */
  private CompletableFuture<Verdict> withKeysOf(Name signer, String signed,
      BiFunction<ZoneTrust.Secure, String, Verdict> check) {
    return chain.trustFor(signer, budget).thenApply(trust -> {
      record(trust);
      if (!(trust instanceof ZoneTrust.Secure secure)) {
        return verdictOf(trust);
      }
      String where = Validator.where(signer, answer.server());
      if (!secure.zone().equals(signer)) {
        return Verdict.bogus(signed + " is signed by " + signer + ", which is not a zone (it lies in " + secure.zone()
            + ") " + where);
      }
      return check.apply(secure, where);
    });
  }

  /**
   * RFC 4035 5.3.4, RFC 5155 8.8: an RRSIG whose labels field is less than its owner's label count
   * signed a wildcard; the answer is secure only with a proof that the next closer name (the owner
   * cut to labels + 1) does not exist.
   */
  private Verdict wildcardExpansion(RRset set, RRSIGRecord signature, ZoneTrust.Secure zone, String where) {
    Name owner = set.getName();
    int below = owner.labels() - 1 - signature.getLabels() - 1;
    // The owner itself when it is one label below the wildcard's parent (what a secure verdict keeps).
    Name nextCloser = below == 0 ? owner : new Name(owner, below);
    List<RRset> denial = new ArrayList<>();
    Verdict broken = verifyDenial(zone, null, denial, where);
    if (broken != null) {
      return broken;
    }
    DenialProof.Fact fact = new DenialProof(zone.zone(), denial, budget).covering(nextCloser);
    if (fact instanceof DenialProof.Absent) {
      int type = set.getType();
      return Verdict.secure(() -> subject(owner, type) + " expanded from a wildcard, " + nextCloser + " proven absent");
    }
    String subject = subject(set);
    if (fact instanceof DenialProof.Insecure insecure) {
      return Verdict.insecure(insecure.reason() + " " + where);
    }
    return Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING, subject + " was expanded from a wildcard, but nothing"
        + " proves that " + nextCloser + " does not exist (RFC 4035 5.3.4): "
        + ((DenialProof.Unproven) fact).reason() + " " + where);
  }

  /**
   * RFC 4035 5.4, RFC 5155 8.4 to 8.7: NXDOMAIN or NODATA for {@code name}, by {@code proofs}
   * ({@link #denialProofs}).
   */
  private CompletableFuture<Verdict> negative(Name name, boolean nxdomain, List<RRset> proofs) {
    String subject = name + "/" + Type.string(answer.qtype());
    String kind = nxdomain ? "NXDOMAIN" : "NODATA";
    Name signer = denialSigner(name, proofs);
    if (signer == null) {
      return chain.trustFor(name, budget).thenApply(trust -> {
        record(trust);
        if (trust instanceof ZoneTrust.Secure secure) {
          String where = Validator.where(secure.zone(), answer.server());
          boolean anyDenial = proofs.stream().anyMatch(set -> set.getType() != Type.SOA);
          return anyDenial
              ? Verdict.bogus(ExtendedErrorCodeOption.RRSIGS_MISSING,
                  "the proof of " + kind + " for " + subject + " carries no RRSIG " + where)
              : Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING,
                  "no NSEC/NSEC3 proves " + kind + " for " + subject + " in the signed zone " + secure.zone() + " " + where);
        }
        return verdictOf(trust);
      });
    }
    return withKeysOf(signer, "the " + kind + " proof for " + subject, (secure, where) -> {
      List<RRset> denial = new ArrayList<>();
      Verdict broken = verifyDenial(secure, ChainOfTrust.find(proofs, signer, Type.SOA), denial, where);
      if (broken != null) {
        return broken;
      }
      if (denial.isEmpty()) {
        return Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING,
            "no NSEC/NSEC3 proves " + kind + " for " + subject + " " + where);
      }
      DenialProof.Fact fact = new DenialProof(signer, denial, budget).about(name);
      return nxdomain ? nxdomain(subject, fact, where) : nodata(subject, fact, where);
    });
  }

  /** The SOA, NSEC and NSEC3 RRsets of the authority section: what proves a negative answer. */
  private List<RRset> denialProofs() {
    return answer.authority().stream().filter(set -> set.getType() == Type.SOA || set.getType() == Type.NSEC
        || set.getType() == Type.NSEC3).filter(set -> !set.rrs(false).isEmpty()).toList();
  }

  /** The first signer of {@code proofs} at or above {@code name}; null when no proof is signed by one. */
  private static Name denialSigner(Name name, List<RRset> proofs) {
    return proofs.stream().flatMap(set -> set.sigs().stream()).map(RRSIGRecord::getSigner)
        .filter(name::subdomain).findFirst().orElse(null);
  }

  private static String subject(RRset set) {
    return subject(set.getName(), set.getType());
  }

  private static String subject(Name owner, int type) {
    return owner + "/" + Type.string(type);
  }

  private Verdict nxdomain(String subject, DenialProof.Fact fact, String where) {
    if (fact instanceof DenialProof.Absent absent) {
      if (!absent.wildcardAbsent()) {
        return Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING, "NXDOMAIN for " + subject + ", but nothing proves"
            + " that the wildcard " + DenialProof.wildcardAt(absent.closestEncloser()) + " does not exist " + where);
      }
      if (absent.optOut()) {
        // RFC 5155 9.2: the name may be an unsigned delegation inside the Opt-Out span: not authenticated.
        return Verdict.insecure("NXDOMAIN for " + subject + " lies in an NSEC3 Opt-Out span (RFC 5155 9.2) " + where);
      }
      return Verdict.secure("NXDOMAIN for " + subject + " proven, closest encloser " + absent.closestEncloser());
    }
    if (fact instanceof DenialProof.Exists) {
      return Verdict.bogus("NXDOMAIN for " + subject + ", but its NSEC/NSEC3 shows the name exists " + where);
    }
    return notProven("NXDOMAIN", subject, fact, where);
  }

  private Verdict nodata(String subject, DenialProof.Fact fact, String where) {
    int qtype = answer.qtype();
    if (fact instanceof DenialProof.Exists exists) {
      if (exists.hasType(qtype) || exists.hasType(Type.CNAME)) {
        return Verdict.bogus("NODATA for " + subject + ", but its NSEC/NSEC3 lists that type " + where);
      }
      if (exists.isDelegation() && qtype != Type.DS) {
        // RFC 6840 4.4: the parent's NSEC at a cut says nothing about the child's data.
        return Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING, "NODATA for " + subject
            + " proven only by the NSEC/NSEC3 of a delegation (RFC 6840 4.4) " + where);
      }
      return Verdict.secure("NODATA for " + subject + " proven by the type bitmap");
    }
    if (fact instanceof DenialProof.Absent absent) {
      if (absent.wildcard() != null) {
        DenialProof.Exists wildcard = new DenialProof.Exists(absent.wildcard());
        if (wildcard.hasType(qtype) || wildcard.hasType(Type.CNAME)) {
          return Verdict.bogus("NODATA for " + subject + ", but the wildcard's NSEC/NSEC3 lists that type " + where);
        }
        return Verdict.secure("wildcard NODATA for " + subject + " proven at " + absent.wildcard().getName());
      }
      if (absent.optOut()) {
        // RFC 5155 8.6: no NSEC3 for the name, covered by Opt-Out: an unsigned delegation, insecure.
        return Verdict.insecure("NODATA for " + subject + " lies in an NSEC3 Opt-Out span (RFC 5155 8.6) " + where);
      }
      return Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING, "NODATA for " + subject
          + ", but its NSEC/NSEC3 shows the name does not exist and no wildcard matches " + where);
    }
    return notProven("NODATA", subject, fact, where);
  }

  private static Verdict notProven(String kind, String subject, DenialProof.Fact fact, String where) {
    if (fact instanceof DenialProof.Insecure insecure) {
      return Verdict.insecure(kind + " for " + subject + ": " + insecure.reason() + " " + where);
    }
    return Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING, kind + " for " + subject + " not proven: "
        + ((DenialProof.Unproven) fact).reason() + " " + where);
  }

  /**
   * Checks the SOA (when given) and every NSEC/NSEC3 RRset of the zone in the authority section
   * with the zone's keys, adding the NSEC/NSEC3 sets to {@code verified}.
   *
   * @return the verdict when one does not verify, else null
   */
  private Verdict verifyDenial(ZoneTrust.Secure zone, RRset soa, List<RRset> verified, String where) {
    List<RRset> sets = new ArrayList<>();
    if (soa != null) {
      sets.add(soa);
    }
    // Only this zone's proofs: a CNAME chain may bring another zone's NSEC/NSEC3 along.
    ChainOfTrust.denialSets(answer.authority()).stream().filter(set -> set.getName().subdomain(zone.zone()))
        .filter(set -> set.sigs().isEmpty() || set.sigs().stream().anyMatch(sig -> sig.getSigner().equals(zone.zone())))
        .forEach(sets::add);
    for (RRset set : sets) {
      SignatureChecker.Outcome checked = SignatureChecker.check(set, zone.zone(), zone.keys(), now(), budget, where,
          chain.verifiedSignatures());
      signatures().computeIfAbsent(zone.zone(), z -> new ArrayList<>()).addAll(checked.signatures());
      if (checked instanceof SignatureChecker.Failed failure) {
        return Verdict.bogus(failure.edeCode(), failure.reason());
      }
      if (set.getType() != Type.SOA) {
        verified.add(set);
      }
    }
    return null;
  }

  /** The name the answer's CNAME chain ends at (RFC 1034 4.3.2), the question name when there is none. */
  private Name finalName(List<RRset> data) {
    Name name = answer.qname();
    if (answer.qtype() == Type.CNAME) {
      return name;
    }
    for (int hop = 0; hop < data.size(); hop++) {
      RRset cname = ChainOfTrust.find(data, name, Type.CNAME);
      if (cname == null) {
        break;
      }
      name = ((CNAMERecord) cname.first()).getTarget();
    }
    return name;
  }

  private static boolean synthesizedFromDname(RRset cname, List<RRset> data) {
    Name owner = cname.getName();
    Name target = ((CNAMERecord) cname.first()).getTarget();
    for (RRset set : data) {
      if (set.getType() == Type.DNAME && owner.subdomain(set.getName()) && !owner.equals(set.getName())) {
        try {
          Name expected = owner.fromDNAME((DNAMERecord) set.first());
          if (target.equals(expected)) {
            return !set.sigs().isEmpty();
          }
        } catch (NameTooLongException e) {
          return false;
        }
      }
    }
    return false;
  }

  private void record(ZoneTrust trust) {
    if (links == null) {
      if (onlyTrust == null || onlyTrust == trust) {
        onlyTrust = trust;
        return;
      }
      links = new LinkedHashMap<>();
      putLinks(onlyTrust);
      onlyTrust = null;
    }
    putLinks(trust);
  }

  private void putLinks(ZoneTrust trust) {
    for (ChainLink link : trust.path()) {
      links.putIfAbsent(link.zone(), link);
    }
  }

  private Map<Name, List<ChainLink.Signature>> signatures() {
    if (signatures == null) {
      signatures = new LinkedHashMap<>();
    }
    return signatures;
  }

  private static Verdict verdictOf(ZoneTrust trust) {
    if (trust instanceof ZoneTrust.Insecure insecure) {
      return insecure.verdict();
    }
    if (trust instanceof ZoneTrust.Failed failed) {
      return failed.verdict();
    }
    throw new IllegalArgumentException("secure: " + trust.zone());
  }

  private boolean failedAlready() {
    return verdicts.stream().anyMatch(Verdict::isFailure);
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  private Verdict combine() {
    // By index, over a constant array: this runs for every answer validated.
    for (Security level : WORST_FIRST) {
      for (int i = 0, n = verdicts.size(); i < n; i++) {
        Verdict verdict = verdicts.get(i);
        if (verdict.security() == level) {
          return verdict;
        }
      }
    }
    if (verdicts.isEmpty()) {
      return Verdict.bogus("nothing to validate in the answer for " + answer.qname());
    }
    if (verdicts.size() == 1) {
      return verdicts.get(0);
    }
    List<Verdict> secure = List.copyOf(verdicts);
    return Verdict.secure(() -> String.join("; ", secure.stream().map(Verdict::reason).toList()));
  }

  private Instant now() {
    return clock.instant();
  }
}
