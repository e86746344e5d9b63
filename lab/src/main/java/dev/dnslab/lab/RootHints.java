package dev.dnslab.lab;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;

/**
 * A root hints file (the format of named.root; RFC 1034 5.3.2 SBELT) naming only the lab's root
 * server, so a real resolver primes from the lab and never from the Internet's root servers.
 */
public final class RootHints {
  /** Hints only seed priming; the root's own NS answer replaces them (RFC 8109 3). */
  private static final long HINT_TTL = 3_600_000;

  private RootHints() {}

  /** The hints text for a lab deployed by {@code plan}. */
  public static String of(AddressPlan plan) {
    StringBuilder text = new StringBuilder();
    text.append("; Root hints for the dnslab lab (dnslab root-hints). Loopback only: with these\n")
        .append("; hints and no others, a resolver never contacts the Internet's root servers.\n");
    if (plan.dnsPort() != AddressPlan.DEFAULT_DNS_PORT) {
      text.append("; NOTE: the lab listens on port ").append(plan.dnsPort())
          .append(", but hints and referrals carry no port:\n")
          .append("; resolvers will ask port 53. Run the lab on port 53 (dnslab up --port 53,\n")
          .append("; as root or with cap_net_bind_service) for a real resolver to follow it.\n");
    }
    text.append(".                        ").append(HINT_TTL).append("  NS  a.root-servers.net.\n");
    text.append("a.root-servers.net.      ").append(HINT_TTL).append("  A   ")
        .append(plan.address(LabRole.ROOT).getHostAddress()).append('\n');
    return text.toString();
  }
}
