package dev.dnslab.core.zone;

import java.util.List;
import org.xbill.DNS.RRset;

/**
 * The typed outcome of looking one name and type up in one zone, the cases of RFC 1034 4.3.2 step
 * 3. Lookups never throw; the caller turns each case into a response section by section.
 */
public sealed interface ZoneLookup {

  /** Data of the asked type exists (3a). {@code wildcard}: synthesised from {@code *} (RFC 4592). */
  record Answer(List<RRset> rrsets, boolean wildcard) implements ZoneLookup {
    public Answer {
      rrsets = List.copyOf(rrsets);
    }
  }

  /** The name owns a CNAME and another type was asked for (3a): restart at its target. */
  record Cname(RRset cname, boolean wildcard) implements ZoneLookup {}

  /**
   * A name below the owner of a DNAME (RFC 6672 2.3): the server synthesises a CNAME from the
   * DNAME and restarts at its target. A query for the owner itself finds the DNAME as data.
   */
  record Dname(RRset dname) implements ZoneLookup {}

  /** The name is at or below a zone cut (3b): refer the client to the child's name servers. */
  record Referral(RRset nameServers) implements ZoneLookup {}

  /** The name exists (possibly as an empty non-terminal, RFC 8020 2) but has no such type. */
  record NoData(boolean wildcard) implements ZoneLookup {}

  /** The name does not exist in the zone and no wildcard covers it (3c, RFC 1034 4.3.3). */
  record NxDomain() implements ZoneLookup {}
}
