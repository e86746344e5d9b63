package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.dnssec.KeySource;
import dev.dnslab.recursor.dnssec.SignedAnswer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.xbill.DNS.Name;

/**
 * The validator's {@link KeySource} over the recursor's own iterator and cache: DS and DNSKEY
 * questions resolved like any other, unvalidated (as with CD, RFC 4035 3.2.2: the validator judges
 * them itself), with their RRSIGs and proofs since upstream queries carry DO. A DS question starts
 * at the closest delegation strictly above the name, so it is asked of the parent side of the cut
 * (RFC 4035 4.2; {@link IteratorCache#closestDelegation}).
 */
final class ResolverKeySource implements KeySource {
  private final BiFunction<Name, Integer, CompletableFuture<Outcome>> unvalidated;

  /** @param unvalidated resolves a question through the iterator without validating it; never fails */
  ResolverKeySource(BiFunction<Name, Integer, CompletableFuture<Outcome>> unvalidated) {
    this.unvalidated = requireNonNull(unvalidated, "unvalidated");
  }

  @Override
  public CompletableFuture<SignedAnswer> fetch(Name name, int type) {
    return unvalidated.apply(name, type).thenApply(outcome -> SignedAnswers.of(name, type, outcome));
  }
}
