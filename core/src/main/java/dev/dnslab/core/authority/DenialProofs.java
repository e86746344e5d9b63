package dev.dnslab.core.authority;

import dev.dnslab.core.dnssec.DenialChain;
import dev.dnslab.core.dnssec.SignedZone;
import dev.dnslab.core.zone.Zone;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The NSEC or NSEC3 records, with their RRSIGs, that go into the authority section of a signed
 * answer to prove what does not exist (RFC 4035 3.1.3 for NSEC, RFC 5155 7.2 for NSEC3). Each
 * record is added once even when two proofs need the same one.
 */
final class DenialProofs {
  private final Message response;
  private final SignedZone signed;
  private final Zone zone;

  DenialProofs(Message response, SignedZone signed) {
    this.response = response;
    this.signed = signed;
    this.zone = signed.servedZone();
  }

  /** RFC 4035 3.1.3.2 / RFC 5155 7.2.2: the name does not exist, nor does a wildcard that would match it. */
  void nxdomain(Name qname) {
    if (signed.chain() instanceof DenialChain.Nsec3Chain chain) {
      Name encloser = closestEncloserProof(chain, qname);
      addCovering(chain, Zone.wildcardAt(encloser));
    } else {
      add(signed.chain().covering(qname));
      addCovering(signed.chain(), Zone.wildcardAt(zone.closestEncloser(qname)));
    }
  }

  /**
   * RFC 4035 3.1.3.1 / RFC 5155 7.2.3: the name exists without the type. An empty non-terminal has
   * no NSEC; the NSEC covering it proves it exists with nothing. A DS query at an opted-out
   * delegation has no NSEC3 either: RFC 5155 7.2.4 asks for the closest provable encloser proof.
   */
  void noData(Name qname) {
    Record matching = signed.chain().matching(qname);
    if (matching != null) {
      add(matching);
    } else if (signed.chain() instanceof DenialChain.Nsec3Chain chain) {
      closestEncloserProof(chain, qname);
    } else {
      add(signed.chain().covering(qname));
    }
  }

  /**
   * RFC 4035 3.1.3.4 / RFC 5155 7.2.5: the wildcard that matched has no such type, and no closer
   * name exists.
   */
  void wildcardNoData(Name qname) {
    if (signed.chain() instanceof DenialChain.Nsec3Chain chain) {
      Name encloser = closestEncloserProof(chain, qname);
      Name wildcard = Zone.wildcardAt(encloser);
      add(wildcard == null ? null : chain.matching(wildcard));
    } else {
      add(signed.chain().covering(qname));
      Name wildcard = Zone.wildcardAt(zone.closestEncloser(qname));
      add(wildcard == null ? null : signed.chain().matching(wildcard));
    }
  }

  /**
   * RFC 4035 3.1.3.3 / RFC 5155 7.2.6: a wildcard answer also proves that the query name itself
   * does not exist (for NSEC3: the next closer name is covered), or a forged wildcard could hide it.
   */
  void wildcardAnswer(Name qname) {
    if (signed.chain() instanceof DenialChain.Nsec3Chain chain) {
      add(chain.covering(nextCloser(qname, zone.closestEncloser(qname))));
    } else {
      add(signed.chain().covering(qname));
    }
  }

  /**
   * RFC 4035 3.1.4 / RFC 5155 7.2.7: a referral to a child without DS proves there is none: the
   * NSEC or NSEC3 at the delegation, or (opt-out) the closest provable encloser proof whose
   * covering NSEC3 has the Opt-Out flag.
   */
  void insecureDelegation(Name cut) {
    noData(cut);
  }

  /**
   * RFC 5155 7.2.1: the NSEC3 matching the closest (provable) encloser and the one covering the
   * next closer name. Walks up from {@code qname} to the first ancestor with an NSEC3 of its own;
   * the apex always has one.
   */
  private Name closestEncloserProof(DenialChain.Nsec3Chain chain, Name qname) {
    Name nextCloser = qname;
    Name encloser = parent(qname);
    Record matching;
    while ((matching = chain.matching(encloser)) == null) {
      nextCloser = encloser;
      encloser = parent(encloser);
    }
    add(matching);
    add(chain.covering(nextCloser));
    return encloser;
  }

  private static Name nextCloser(Name qname, Name encloser) {
    return new Name(qname, qname.labels() - encloser.labels() - 1);
  }

  private static Name parent(Name name) {
    return new Name(name, 1);
  }

  /** A wildcard name may not fit below a long encloser (then there is nothing to deny). */
  private void addCovering(DenialChain chain, Name wildcard) {
    if (wildcard != null) {
      add(chain.covering(wildcard));
    }
  }

  private void add(Record proof) {
    if (proof == null) {
      return; // a name with its own record needs no covering one
    }
    RRset set = signed.rrset(proof.getName(), proof.getType());
    if (set == null || response.findRecord(proof, Section.AUTHORITY)) {
      return;
    }
    AuthorityHandler.addRRset(response, set, Section.AUTHORITY, null, true);
  }
}
