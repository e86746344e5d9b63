package dev.dnslab.core.cache;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * A cached DNAME's answer for a name below its owner (RFC 6672 3.4): the DNAME and the CNAME
 * synthesised from it, and the DNAME's RRSIGs, which a validator checks before it accepts the
 * unsigned CNAME (RFC 6672 5.3.1).
 */
record CachedDname(List<Record> records, List<Record> signatures) {}
