package dev.dnslab.core.dnssec;

import java.util.List;

/**
 * How a zone's keys are split (RFC 6781 3.1). Both exist in the wild, so a validator meets both in
 * the lab: the root and the TLDs have a key-signing key (KSK, SEP flag, signs only the DNSKEY
 * RRset and is what the parent's DS names) and a zone-signing key (ZSK, signs everything else);
 * many second-level zones today have one combined signing key (CSK) that does both, which is
 * simpler to run: one key, one DS, nothing to roll separately.
 */
public enum KeyStyle {
  KSK_ZSK("ksk-zsk", List.of(KeyRole.KSK, KeyRole.ZSK)),
  CSK("csk", List.of(KeyRole.CSK));

  private final String policyName;
  private final List<KeyRole> roles;

  KeyStyle(String policyName, List<KeyRole> roles) {
    this.policyName = policyName;
    this.roles = roles;
  }

  /** The word the policy file uses. */
  public String policyName() {
    return policyName;
  }

  /** The keys a zone with this style holds. */
  public List<KeyRole> roles() {
    return roles;
  }
}
