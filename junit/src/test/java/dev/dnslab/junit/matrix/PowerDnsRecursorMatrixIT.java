package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;
import java.util.Map;

/** Debian's PowerDNS Recursor over every shipped scenario. */
class PowerDnsRecursorMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver(boolean validating) {
    return new PowerDnsRecursor(validating);
  }

  @Override
  List<Tool> requiredTools() {
    return List.of(Tool.PDNS_RECURSOR, Tool.PORT_53);
  }

  @Override
  Map<String, String> knownDeviations() {
    String keepsExtraAnswerRrsets = "keeps RRsets of its own zone that an authoritative server adds to the answer"
        + " section beyond the question and serves them later (google.com. A 192.0.2.66 after a www.google.com"
        + " answer); Unbound, BIND, Knot Resolver and dnslab drop them (RFC 2181 5.4.1, RFC 5452 6)";
    return Map.of("drop",
        "sends one query per server and answers SERVFAIL after its 1500 ms network-timeout instead of"
            + " retransmitting (RFC 1035 4.2.1); it leaves the retry to the client",
        "extra-answer-rrsets", keepsExtraAnswerRrsets,
        "qmin-other-data", keepsExtraAnswerRrsets);
  }
}
