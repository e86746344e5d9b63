package dev.dnslab.cli;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.zone.RootHints;
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
  @Spec CommandSpec spec;

  @Option(names = "--lab-network", description = "The /24 the lab lives in (default: ${DEFAULT-VALUE}).")
  String labNetwork = AddressPlan.ZONE_FILE_NETWORK.toString();

  @Option(names = "--port", description = "The lab's DNS port (default: ${DEFAULT-VALUE}); hints cannot carry a port, so any other value adds a note.")
  int port = AddressPlan.DEFAULT_DNS_PORT;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AddressPlan plan = new AddressPlan(Cidr.parse(labNetwork), port, AddressPlan.DEFAULT_ADMIN_PORT);
    out.print(RootHints.labFile(plan));
    out.flush();
    return 0;
  }
}
