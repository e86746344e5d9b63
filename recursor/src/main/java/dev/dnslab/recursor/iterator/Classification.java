package dev.dnslab.recursor.iterator;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * A classified upstream reply (Unbound's {@code iter_resptype.h}): one record per {@link
 * ReplyType}, holding only what that kind of reply carries. Code that acts on a classification
 * switches over {@link #type()}, so a new kind fails to compile until every switch handles it.
 */
public sealed interface Classification {
  ReplyType type();

  /** Answer records on the path from the asked name (CNAMEs, then the data), in order. */
  default List<Record> chain() {
    return List.of();
  }

  /**
   * The RRSIGs over the {@link #chain()}'s RRsets (RFC 4035 3.1.1), kept to be cached with them and
   * validated; empty when the server sent none (an unsigned zone, or asked without DO).
   */
  default List<Record> signatures() {
    return List.of();
  }

  /**
   * The DNSSEC records of the authority section that go with the chain: for an answer expanded
   * from a wildcard the NSEC/NSEC3 proof that the name itself does not exist (RFC 4035 3.1.3.3);
   * for a negative answer the SOA's RRSIGs and the denial (RFC 4035 3.1.3). Empty when unsigned.
   */
  default List<Record> proofs() {
    return List.of();
  }

  /** The records asked for, possibly after CNAMEs inside the server's zone. */
  record Answer(List<Record> chain, Name finalName, List<Record> signatures, List<Record> proofs)
      implements Classification {
    public Answer {
      chain = List.copyOf(chain);
      signatures = List.copyOf(signatures);
      proofs = List.copyOf(proofs);
    }

    @Override
    public ReplyType type() {
      return ReplyType.ANSWER;
    }
  }

  /** A CNAME chain the server could not follow further: restart with {@code target}. */
  record Cname(List<Record> chain, Name target, List<Record> signatures, List<Record> proofs)
      implements Classification {
    public Cname {
      chain = List.copyOf(chain);
      signatures = List.copyOf(signatures);
      proofs = List.copyOf(proofs);
    }

    @Override
    public ReplyType type() {
      return ReplyType.CNAME;
    }
  }

  /** A negative answer about {@code name}, the end of the chain; {@code soa} sets its TTL (RFC 2308 5), or null. */
  sealed interface Negative extends Classification {
    Name name();

    SOARecord soa();

  }

  /** The name does not exist (RFC 2308 2.1; after a CNAME chain, about its last name: RFC 6604 3). */
  record NxDomain(List<Record> chain, Name name, SOARecord soa, List<Record> signatures, List<Record> proofs)
      implements Negative {
    public NxDomain {
      chain = List.copyOf(chain);
      signatures = List.copyOf(signatures);
      proofs = List.copyOf(proofs);
    }

    @Override
    public ReplyType type() {
      return ReplyType.NXDOMAIN;
    }
  }

  /** The name exists but has no data of the type asked (RFC 2308 2.2). */
  record NoData(List<Record> chain, Name name, SOARecord soa, List<Record> signatures, List<Record> proofs)
      implements Negative {
    public NoData {
      chain = List.copyOf(chain);
      signatures = List.copyOf(signatures);
      proofs = List.copyOf(proofs);
    }

    @Override
    public ReplyType type() {
      return ReplyType.NODATA;
    }
  }

  /**
   * RFC 6672 2.2: the DNAME above {@code name} (the end of the chain) would substitute a name
   * longer than 255 octets, so the server answered YXDOMAIN with the DNAME and no CNAME. The chain
   * ends with that DNAME; the client gets the same rcode and records, not SERVFAIL.
   */
  record YxDomain(List<Record> chain, Name name, List<Record> signatures, List<Record> proofs)
      implements Classification {
    public YxDomain {
      chain = List.copyOf(chain);
      signatures = List.copyOf(signatures);
      proofs = List.copyOf(proofs);
    }

    @Override
    public ReplyType type() {
      return ReplyType.YXDOMAIN;
    }
  }

  /**
   * "Ask those servers instead" (RFC 1034 4.3.2 3b): the child {@code zone}, its NS records and
   * the in-bailiwick addresses of those name servers. {@code delegationProof} is what a signed
   * parent says about the child's security (RFC 4035 3.1.4): the DS RRset with its RRSIGs, or the
   * NSEC/NSEC3 records (with RRSIGs) proving there is no DS; empty from an unsigned parent.
   */
  record Referral(Name zone, List<Record> nameServers, List<Record> glue, List<Record> delegationProof)
      implements Classification {
    public Referral {
      nameServers = List.copyOf(nameServers);
      glue = List.copyOf(glue);
      delegationProof = List.copyOf(delegationProof);
    }

    @Override
    public ReplyType type() {
      return ReplyType.REFERRAL;
    }
  }

  /** A reply the iterator cannot use: it tries another server. {@code reason} says why. */
  sealed interface Unusable extends Classification {
    String reason();
  }

  /** The server is not authoritative for the zone we asked it about (REFUSED, upward referral). */
  record Lame(String reason) implements Unusable {
    @Override
    public ReplyType type() {
      return ReplyType.LAME;
    }
  }

  /** Unusable for another reason (SERVFAIL, FORMERR, an answer that does not answer). */
  record Throwaway(String reason) implements Unusable {
    @Override
    public ReplyType type() {
      return ReplyType.THROWAWAY;
    }
  }
}
