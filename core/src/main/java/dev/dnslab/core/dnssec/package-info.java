/**
 * DNSSEC signing for the lab's zones (RFC 4033, 4034, 4035, 5155, 9276): the keys, the policy, the
 * signer and the trust anchor. The authority servers sign with it (core's {@code authority}
 * package: {@code AuthorityZones}, {@code AuthorityHandler}).
 *
 * <ul>
 *   <li>{@link dev.dnslab.core.dnssec.KeyDirectory}: the lab's keys in {@code <state-dir>/keys/},
 *       made once per lab under a lock and shared by every server of it; new keys only through
 *       {@code createNew}.
 *   <li>{@link dev.dnslab.core.dnssec.DnssecPolicy}: {@code zones/dnssec.yaml}, which zone is signed
 *       with which algorithm ({@link dev.dnslab.core.dnssec.DnssecAlgorithm}), key style ({@link
 *       dev.dnslab.core.dnssec.KeyStyle}) and denial ({@link dev.dnslab.core.dnssec.Denial}), or left
 *       unsigned; defaults for zones it does not name.
 *   <li>{@link dev.dnslab.core.dnssec.ZoneSigner}: a core {@code Zone} in, a {@link
 *       dev.dnslab.core.dnssec.SignedZone} out (DNSKEY, DS from each signed child's key, the {@link
 *       dev.dnslab.core.dnssec.DenialChain}, RRSIGs), with its renewal time.
 *   <li>{@link dev.dnslab.core.dnssec.SignedZoneWriter}: master files for NSD, ldns-verify-zone and
 *       dnssec-verify.
 *   <li>{@link dev.dnslab.core.dnssec.TrustAnchor} and {@link
 *       dev.dnslab.core.dnssec.TrustAnchorFormat}: the lab root's anchor for Unbound, BIND, Knot
 *       Resolver and PowerDNS Recursor.
 * </ul>
 *
 * Signatures, digests, key tags and hashes come from dnsjava ({@code DNSSEC.sign}, {@code
 * DSRecord}, {@code NSEC3PARAMRecord.hashName}) and keys from the JDK; the NSEC/NSEC3 chains are
 * built here, once.
 */
package dev.dnslab.core.dnssec;
