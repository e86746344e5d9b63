package dev.dnslab.lab;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dnslab root-hints}: a root hints file (RFC 1034 5.3.2 SBELT, the format of named.root)
 * naming only the lab's root server, for pointing a real resolver at the lab instead of the
 * Internet's root servers.
 */
@Command(
    name = "root-hints",
    mixinStandardHelpOptions = true,
    description = "Print a root hints file that names only the lab's root server.")
final class RootHintsCommand implements Callable<Integer> {
  /** Hints are only used to prime, then replaced by the root's own answer (RFC 8109 3). */
  private static final long HINT_TTL = 3_600_000;

  @Spec CommandSpec spec;

  @Option(names = "--lab-network", description = "The /24 the lab lives in (default: ${DEFAULT-VALUE}).")
  String labNetwork = AddressPlan.ZONE_FILE_NETWORK.toString();

  @Option(names = "--port", description = "The lab's DNS port (default: ${DEFAULT-VALUE}); hints cannot carry a port, so any other value adds a note.")
  int port = AddressPlan.DEFAULT_DNS_PORT;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AddressPlan plan = new AddressPlan(Cidr.parse(labNetwork), port, AddressPlan.DEFAULT_ADMIN_PORT);
    out.print(hints(plan));
    out.flush();
    return 0;
  }

  /** The hints text for {@code plan}. */
  static String hints(AddressPlan plan) {
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
