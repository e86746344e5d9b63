package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.SignedZone;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.wire.AnswerTemplate;
import dev.dnslab.core.wire.PlainQuery;
import dev.dnslab.core.zone.DnameSynthesis;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneLookup;
import dev.dnslab.core.zone.ZoneRepository;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers from the server's own zones, following RFC 1034 4.3.2: find the closest enclosing zone,
 * then give the answer (AA), a referral (NS in authority, glue in additional, no AA), a CNAME
 * (or a DNAME with the CNAME synthesised from it, RFC 6672 3.1) followed as far as this server's
 * zones reach, or a negative answer with the SOA in authority
 * (RFC 2308 3). Names outside every zone pass on to the next handler (REFUSED at the end of an
 * authority-only chain).
 *
 * <p>When the query sets DO (RFC 3225 3) and the zone is signed, every signed RRset goes out with
 * its RRSIGs, referrals carry the DS RRset or the proof that there is none, and negative and
 * wildcard answers carry their NSEC or NSEC3 proofs (RFC 4035 3.1, RFC 5155 7.2). Without DO the
 * same zones answer without any of that, though DNSKEY, DS and NSEC can still be asked for by type.
 */
public final class AuthorityHandler implements DnsHandler {
  /**
   * How many CNAMEs one response may follow inside our own zones before stopping. Real chains are
   * short; the cap keeps a loop or a deliberately long chain in a zone from growing a response.
   */
  public static final int MAX_CNAME_CHAIN = 16;

  private final AuthorityZones zones;
  private final AtomicReference<AnswerCache> answers = new AtomicReference<>();

  /** Answers from {@code zones} unsigned, as loaded by the caller. */
  public AuthorityHandler(ZoneRepository zones) {
    this(AuthorityZones.unsigned(zones));
  }

  public AuthorityHandler(AuthorityZones zones) {
    this.zones = requireNonNull(zones, "zones");
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    Record question = request.question();
    int qtype = question.getType();
    if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY
        || qtype == Type.AXFR || qtype == Type.IXFR) {
      return next.proceed(request);
    }
    ServedZones snapshot = zones.current();
    boolean dnssecOk = dnssecOk(request.query());
    AnswerCache cache = answersOf(snapshot);
    AnswerCache.Key key = new AnswerCache.Key(question.getName(), qtype, question.getDClass(), dnssecOk);
    AnswerTemplate known = cache.get(key);
    if (known != null) {
      return CompletableFuture.completedFuture(known.newResponse(request));
    }
    Zone zone = snapshot.zones().closestEnclosing(question.getName(), qtype);
    if (zone == null) {
      return next.proceed(request);
    }
    Message response = request.newResponse(Rcode.NOERROR);
    answer(response, snapshot, zone, question.getName(), qtype, dnssecOk);
    AnswerTemplate template = spellsQnameOnlyInQuestion(response) ? AnswerTemplate.of(response) : null;
    if (template == null) {
      return CompletableFuture.completedFuture(response);
    }
    cache.put(key, template);
    return CompletableFuture.completedFuture(template.newResponse(request));
  }

  /**
   * The rendered answer to {@code query} from the zones served now, or null when there is none yet:
   * then only {@link #handle} answers it (and renders it for the next time).
   */
  AnswerTemplate knownAnswer(PlainQuery query) {
    AnswerCache cache = answers.get();
    if (cache == null || !cache.isFor(zones.current())) {
      return null;
    }
    return cache.get(new AnswerCache.Key(query));
  }

  /** The rendered answers of {@code snapshot}, a new empty set when the zones changed. */
  private AnswerCache answersOf(ServedZones snapshot) {
    AnswerCache cache = answers.get();
    if (cache == null || !cache.isFor(snapshot)) {
      cache = new AnswerCache(snapshot);
      answers.set(cache);
    }
    return cache;
  }

  /**
   * Whether the client's spelling of the query name appears only where a template can respell it
   * (the question, and compression pointers to it): not so after a DNAME, whose synthesised CNAME
   * target repeats the client's own labels (RFC 6672 2.2).
   */
  private static boolean spellsQnameOnlyInQuestion(Message response) {
    for (Record record : response.getSection(Section.ANSWER)) {
      if (record.getType() == Type.DNAME) {
        return false;
      }
    }
    return true;
  }

  /** RFC 3225 3: the DO bit of the query's OPT record asks for DNSSEC records. */
  private static boolean dnssecOk(Message query) {
    OPTRecord opt = query.getOPT();
    return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
  }

  private static void answer(Message response, ServedZones zones, Zone zone, Name qname, int qtype, boolean dnssecOk) {
    Name current = qname;
    Set<Name> visited = new HashSet<>();
    for (int step = 0; step <= MAX_CNAME_CHAIN; step++) {
      visited.add(current);
      SignedZone signed = dnssecOk ? zones.signedFormOf(zone) : null;
      boolean withSignatures = signed != null;
      ZoneLookup lookup = zone.lookup(current, qtype);
      if (step == 0 && !(lookup instanceof ZoneLookup.Referral)) {
        response.getHeader().setFlag(Flags.AA);
      }
      if (lookup instanceof ZoneLookup.Answer answer) {
        for (RRset rrset : answer.rrsets()) {
          addRRset(response, rrset, Section.ANSWER, current, withSignatures);
          AdditionalSection.addTargetAddresses(response, zones.zones(), rrset, withSignatures);
        }
        if (answer.wildcard() && signed != null) {
          new DenialProofs(response, signed).wildcardAnswer(current);
        }
        return;
      } else if (lookup instanceof ZoneLookup.Referral referral) {
        // RFC 1034 4.3.2 step 3b: the name servers of the child, and what we know of their addresses.
        addRRset(response, referral.nameServers(), Section.AUTHORITY, null, false);
        if (signed != null) {
          // RFC 4035 3.1.4: the child's DS with its RRSIG, or the proof that it has none.
          Name cut = referral.nameServers().getName();
          RRset ds = zone.rrset(cut, Type.DS);
          if (ds != null) {
            addRRset(response, ds, Section.AUTHORITY, null, true);
          } else {
            new DenialProofs(response, signed).insecureDelegation(cut);
          }
        }
        AdditionalSection.addGlue(response, zones.zones(), referral.nameServers());
        return;
      } else if (lookup instanceof ZoneLookup.NoData noData) {
        addNegativeSoa(response, zone, withSignatures);
        if (signed != null) {
          DenialProofs proofs = new DenialProofs(response, signed);
          if (noData.wildcard()) {
            proofs.wildcardNoData(current);
          } else {
            proofs.noData(current);
          }
        }
        return;
      } else if (lookup instanceof ZoneLookup.NxDomain) {
        // RFC 6604 3: after a CNAME chain the rcode describes the last name.
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        addNegativeSoa(response, zone, withSignatures);
        if (signed != null) {
          new DenialProofs(response, signed).nxdomain(current);
        }
        return;
      }
      Name target;
      if (lookup instanceof ZoneLookup.Dname dname) {
        // RFC 6672 2.3, 3.1: the DNAME (signed, with DO), then the CNAME synthesised from it, unsigned
        // (5.3.1: a validator checks it against the signed DNAME).
        addRRset(response, dname.dname(), Section.ANSWER, null, withSignatures);
        target = DnameSynthesis.target(current, dname.dname());
        if (target == null) {
          // RFC 6672 2.2: the substituted name would exceed 255 octets.
          response.getHeader().setRcode(Rcode.YXDOMAIN);
          return;
        }
        response.addRecord(DnameSynthesis.cname(current, dname.dname(), target), Section.ANSWER);
      } else {
        ZoneLookup.Cname cnameLookup = (ZoneLookup.Cname) lookup;
        RRset cname = cnameLookup.cname();
        addRRset(response, cname, Section.ANSWER, current, withSignatures);
        if (cnameLookup.wildcard() && signed != null) {
          new DenialProofs(response, signed).wildcardAnswer(current);
        }
        target = ((CNAMERecord) cname.first()).getTarget();
      }
      Zone targetZone = zones.zones().closestEnclosing(target, qtype);
      if (targetZone == null || visited.contains(target)) {
        return; // RFC 1034 4.3.2 step 3a: the resolver continues from the CNAME; loops stop here
      }
      current = target;
      zone = targetZone;
    }
  }

  /**
   * The SOA of a negative answer with the negative-caching TTL (RFC 2308 3), and with DO its RRSIGs
   * at that same TTL (RFC 4034 3: an RRSIG's TTL is its RRset's; the original TTL inside the
   * signature still validates, RFC 4035 5.3.3).
   */
  private static void addNegativeSoa(Message response, Zone zone, boolean withSignatures) {
    SOARecord soa = NegativeAnswer.soaFor(zone);
    response.addRecord(soa, Section.AUTHORITY);
    if (withSignatures) {
      for (RRSIGRecord signature : zone.rrset(zone.origin(), Type.SOA).sigs()) {
        response.addRecord(NegativeAnswer.withTtl(signature, soa.getTTL()), Section.AUTHORITY);
      }
    }
  }

  /**
   * Adds an RRset, followed by its RRSIGs when {@code withSignatures} (so truncation, which drops
   * whole RRsets, keeps or drops them together). When its owner is the name being answered, the
   * owner is written exactly as the client spelled it (RFC 1034 3.1 case preservation, which 0x20
   * relies on).
   */
  static void addRRset(Message response, RRset rrset, int section, Name spelledOwner, boolean withSignatures) {
    boolean respell = spelledOwner != null && rrset.getName().equals(spelledOwner);
    for (Record record : rrset.rrs(false)) {
      response.addRecord(respell ? record.withName(spelledOwner) : record, section);
    }
    if (withSignatures) {
      for (Record signature : rrset.sigs()) {
        response.addRecord(respell ? signature.withName(spelledOwner) : signature, section);
      }
    }
  }
}
