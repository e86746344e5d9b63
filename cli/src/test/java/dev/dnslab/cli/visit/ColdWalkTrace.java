package dev.dnslab.cli.visit;

import dev.dnslab.recursor.trace.Priming;
import dev.dnslab.recursor.trace.Trace;
import dev.dnslab.recursor.trace.TraceStep;
import java.util.List;

/**
 * The recursor's {@code /trace} of a cold walk to a lab host as it writes it: root, TLD and
 * authoritative each asked once, with QNAME minimisation, ending in the lab web server's address.
 * For the renderers' tests, which add the signed lab's chain of trust with {@link Trace#withDnssec}.
 */
final class ColdWalkTrace {
  private ColdWalkTrace() {}

  /** {@code host} like www.google.com: asked of the root, then its TLD's server, then its zone's. */
  static Trace of(String host) {
    String tld = host.substring(host.lastIndexOf('.') + 1) + ".";
    String zone = host.substring(host.indexOf('.') + 1) + ".";
    List<TraceStep> steps = List.of(
        step(1, ".", "root", "a.root-servers.net.", "127.53.0.11", tld, "REFERRAL"),
        step(2, tld, "tld", "a.gtld-servers.net.", "127.53.0.12", zone, "REFERRAL"),
        step(3, zone, "authoritative", "ns1." + zone, "127.53.0.13", host + ".", "ANSWER"));
    return new Trace(new TraceStep.Question(host + ".", "A"), true, "NOERROR",
        List.of(host + ".\t300\tIN\tA\t127.53.0.80"), List.of(), null, 3, 4.2, steps,
        new Priming(Priming.RootServers.PRIMED, "RFC 9609", List.of()));
  }

  private static TraceStep step(int n, String zone, String role, String server, String address, String asked, String reply) {
    List<String> authority = reply.equals("REFERRAL") ? List.of(asked + "\t172800\tIN\tNS\t" + server) : List.of();
    List<String> answer = reply.equals("ANSWER") ? List.of(asked + "\t300\tIN\tA\t127.53.0.80") : List.of();
    return new TraceStep(n, 0, zone, new TraceStep.Server(role, server, address, 53), new TraceStep.Question(asked, "A"),
        "udp", reply, "NOERROR", reply.equals("ANSWER"), answer, authority, List.of(), 1.0, "");
  }
}
