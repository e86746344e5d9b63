package dev.dnslab.core.zone;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;

/**
 * The CNAME a DNAME stands for (RFC 6672 2.2, 3.1): for a name below the DNAME's owner, the owner
 * suffix is replaced by the DNAME's target, and the CNAME gets the DNAME's TTL. Authorities
 * synthesise it into their answers; resolvers check a received one against it and synthesise it
 * themselves from a cached DNAME.
 */
public final class DnameSynthesis {
  private DnameSynthesis() {}

  /**
   * {@code name} with the owner of {@code dname} replaced by its target, or null when the result
   * would be longer than 255 octets (RFC 6672 2.2: the server answers YXDOMAIN).
   *
   * @throws IllegalArgumentException when {@code name} is not strictly below the DNAME's owner
   */
  public static Name target(Name name, RRset dname) {
    return target(name, (DNAMERecord) dname.first());
  }

  /** As {@link #target(Name, RRset)}, for one DNAME record. */
  public static Name target(Name name, DNAMERecord dname) {
    if (!name.subdomain(dname.getName()) || name.equals(dname.getName())) {
      throw new IllegalArgumentException(name + " is not below the DNAME at " + dname.getName());
    }
    try {
      return name.fromDNAME(dname);
    } catch (NameTooLongException e) {
      return null;
    }
  }

  /** The synthesised CNAME from {@code name} to {@code target}, with the DNAME's TTL (RFC 6672 3.1). */
  public static CNAMERecord cname(Name name, RRset dname, Name target) {
    return new CNAMERecord(name, DClass.IN, dname.getTTL(), target);
  }
}
