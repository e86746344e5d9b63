package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.server.DnsRequest;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Leaves DNSSEC records out of the answer, as a broken signer, a stripping middlebox or a lazy
 * server would:
 *
 * <ul>
 *   <li>{@link What#RRSIG}: every RRSIG. The zone is signed (its parent has a DS), so data without
 *       signatures is bogus, not insecure (RFC 4035 5.2, 5.5).
 *   <li>{@link What#DNSKEY}: the DNSKEY RRset and its RRSIGs: a DNSKEY query gets an empty answer.
 *       With a DS in the parent and no key to match it, the zone is bogus (RFC 4035 5.2).
 *   <li>{@link What#WILDCARD_PROOF}: the NSEC and NSEC3 records (and their RRSIGs) that must come
 *       with a wildcard expansion to prove that the name asked for does not exist itself (RFC 4035
 *       3.1.3.3, RFC 5155 7.2.6); without them the answer is bogus (RFC 4035 5.3.4).
 * </ul>
 */
public final class RecordStripFault extends DnssecFault {
  /** What is left out. */
  public enum What {
    RRSIG("rrsig-strip"),
    DNSKEY("dnskey-missing"),
    WILDCARD_PROOF("wildcard-no-proof");

    private final String faultName;

    What(String faultName) {
      this.faultName = faultName;
    }

    public String faultName() {
      return faultName;
    }
  }

  private static final Set<Integer> DENIAL = Set.of(Type.NSEC, Type.NSEC3);

  private final What what;

  public RecordStripFault(QueryMatch match, What what, FaultListener listener, KeyDirectory keys) {
    super(requireNonNull(what, "what").faultName(), match, listener, keys);
    this.what = what;
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    if (what == What.WILDCARD_PROOF && !isWildcardAnswer(response)) {
      return;
    }
    for (int section : RRSET_SECTIONS) {
      List<RRset> kept = rrsets(response, section).stream().map(this::strip).filter(set -> set != null).toList();
      replace(response, section, kept);
    }
  }

  /** The set as this fault leaves it, or null when it goes entirely. */
  private RRset strip(RRset set) {
    return switch (what) {
      case RRSIG -> set.rrs(false).isEmpty() ? null : unsigned(set);
      case DNSKEY -> typeOf(set) == Type.DNSKEY ? null : set;
      case WILDCARD_PROOF -> DENIAL.contains(typeOf(set)) ? null : set;
    };
  }

  /**
   * RFC 4035 5.3.4: an RRSIG whose labels field is smaller than its owner's label count signed a
   * wildcard, so the answer was expanded from one.
   */
  private static boolean isWildcardAnswer(Message response) {
    return response.getSection(Section.ANSWER).stream()
        .anyMatch(r -> r instanceof RRSIGRecord sig && sig.getLabels() < sig.getName().labels() - 1);
  }
}
