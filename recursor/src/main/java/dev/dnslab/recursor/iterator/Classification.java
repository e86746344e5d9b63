package dev.dnslab.recursor.iterator;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * A classified reply.
 *
 * @param type what the reply means
 * @param chain answer records on the path from the asked name (CNAMEs, then the data), in order
 * @param finalName the name the chain ends at (the CNAME target for {@link ReplyType#CNAME})
 * @param referralZone for a referral: the child zone
 * @param nameServers for a referral: the child's NS records
 * @param glue for a referral: in-bailiwick addresses of those name servers
 * @param soa for a negative answer: the SOA that sets its TTL (RFC 2308 5), or null
 * @param reason a short human explanation (why LAME, why THROWAWAY)
 */
public record Classification(
    ReplyType type,
    List<Record> chain,
    Name finalName,
    Name referralZone,
    List<Record> nameServers,
    List<Record> glue,
    SOARecord soa,
    String reason) {}
