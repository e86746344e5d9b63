package dev.dnslab.recursor.dnssec;

import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Name;

/**
 * Where the validator gets the DS and DNSKEY RRsets it needs, unvalidated (as with CD), with their
 * RRSIGs and, for negative answers, their NSEC/NSEC3 proofs. The recursor's implementation
 * resolves through its own iterator and cache, asking DS of the parent side of the cut (RFC 4035
 * 4.2) and DNSKEY of the zone itself.
 *
 * <p>Never fails: an unreachable authority completes with rcode SERVFAIL (the validator's verdict is
 * then {@link Security#INDETERMINATE}).
 */
@FunctionalInterface
public interface KeySource {
  CompletableFuture<SignedAnswer> fetch(Name name, int type);
}
