/**
 * DNSSEC validation for the recursor (RFC 4033, 4034, 4035, 5155, 6840, 9276): the signing side is
 * core's {@code dev.dnslab.core.dnssec}; this is the checking side.
 *
 * <ul>
 *   <li>{@link dev.dnslab.recursor.dnssec.Validator}: the engine, {@code validate(SignedAnswer)}
 *       to a {@link dev.dnslab.recursor.dnssec.Validation} (a {@link
 *       dev.dnslab.recursor.dnssec.Verdict} and the chain of trust as {@link
 *       dev.dnslab.recursor.dnssec.ChainLink}s).
 *   <li>{@link dev.dnslab.recursor.dnssec.KeySource}: how it asks for DS and DNSKEY RRsets; the
 *       recursor answers through its iterator and cache. Those fetches are timed on core's {@code
 *       Timers}, the recursor's event loops: the thread a validation whose fetch timed out goes on on.
 *   <li>{@link dev.dnslab.recursor.dnssec.TrustAnchors}: where the chain starts.
 *   <li>{@link dev.dnslab.recursor.dnssec.ValidationLimits}: the work caps against KeyTrap
 *       (CVE-2023-50387) and NSEC3 hashing (CVE-2023-50868); the recursor names their values in
 *       {@code dev.dnslab.recursor.iterator.ResolutionLimits}.
 * </ul>
 */
package dev.dnslab.recursor.dnssec;
