package dev.dnslab.recursor.iterator;

import dev.dnslab.core.cache.RRsets;
import dev.dnslab.recursor.dnssec.SignedAnswer;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** An {@link Outcome} as the validator sees it: its sections as RRsets, each with its RRSIGs. */
final class SignedAnswers {
  private SignedAnswers() {}

  /** The outcome's answer (with its signatures) and authority (SOA with the denial proofs). */
  static SignedAnswer of(Name qname, int qtype, Outcome outcome) {
    return new SignedAnswer(qname, qtype, outcome.rcode(),
        RRsets.group(concat(outcome.answer(), outcome.answerSignatures())),
        RRsets.group(concat(outcome.authority(), outcome.proofs())), null);
  }

  private static List<Record> concat(List<Record> records, List<Record> dnssec) {
    if (dnssec.isEmpty()) {
      return records;
    }
    List<Record> all = new ArrayList<>(records);
    all.addAll(dnssec);
    return all;
  }
}
