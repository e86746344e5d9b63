package dev.dnslab.core.ratelimit;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a response is, for rate limiting: responses in one category to one network share a bucket,
 * as NSD and BIND key them. A flood of random names under one zone is one bucket (its NXDOMAINs),
 * not one per name, and so is a flood of referrals to one delegation.
 */
public sealed interface ResponseCategory {
  /** An answer or NODATA: keyed by the question, as "identical responses" are in BIND. */
  record Answer(Name qname, int qtype) implements ResponseCategory {}

  /** NXDOMAIN: keyed by the zone that denies the name (the SOA owner), not by the name. */
  record NameError(Name zone) implements ResponseCategory {}

  /** A referral: keyed by the delegation (the NS owner in the authority section). */
  record Referral(Name delegation) implements ResponseCategory {}

  /** SERVFAIL, REFUSED, FORMERR and every other error: one bucket per network. */
  record Error() implements ResponseCategory {}

  /** The category of {@code response}; names are lower-cased so 0x20 cannot split a bucket. */
  static ResponseCategory of(Message response) {
    int rcode = response.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      Record soa = first(response, Type.SOA);
      return new NameError(canonical(soa != null ? soa.getName() : qname(response)));
    }
    if (rcode != Rcode.NOERROR) {
      return new Error();
    }
    if (!response.getHeader().getFlag(Flags.AA) && response.getHeader().getCount(Section.ANSWER) == 0) {
      Record ns = first(response, Type.NS);
      if (ns != null) {
        return new Referral(canonical(ns.getName()));
      }
    }
    Record question = response.getQuestion();
    return new Answer(canonical(qname(response)), question == null ? 0 : question.getType());
  }

  private static Record first(Message response, int type) {
    for (Record record : response.getSection(Section.AUTHORITY)) {
      if (record.getType() == type) {
        return record;
      }
    }
    return null;
  }

  private static Name qname(Message response) {
    Record question = response.getQuestion();
    return question == null ? Name.root : question.getName();
  }

  private static Name canonical(Name name) {
    return name.canonicalize();
  }
}
