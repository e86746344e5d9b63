package dev.dnslab.lab;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.recursor.RecursorConfig;
import dev.dnslab.recursor.RecursorServer;
import dev.dnslab.recursor.iterator.AddressFamilies;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The whole lab on its real addresses and ports, both families, for a network namespace whose
 * loopback holds the lab's IPv6 addresses: started by {@link Ipv6NetnsIT} with {@code ip netns
 * exec}, it prints READY and runs until its stdin closes. Beside the lab's own recursor (127.53.0.53
 * and fd00:53:53:127::53, both families, with DoT on 853 and DoH on 443), the web server (.80, ports
 * 80 and 443) and the router (.254), it runs one recursor that asks over IPv6 only ({@code
 * --no-ipv4}, on 127.0.0.1) and one over IPv4 only ({@code --no-ipv6}, on 127.0.0.2), admin port 9153
 * on each. Arguments: zones folder, sites folder, state directory.
 */
public final class Ipv6NetnsLab {
  private Ipv6NetnsLab() {}

  public static void main(String[] args) throws Exception {
    Path zones = Path.of(args[0]);
    Path sites = Path.of(args[1]);
    Path state = Path.of(args[2]);
    try (EmbeddedLab lab = EmbeddedLab.builder().plan(AddressPlan.EMBEDDED).zones(zones).sites(sites).stateDir(state)
            .everything().build().start();
        RecursorServer ipv6Only = recursor("127.0.0.1", AddressFamilies.IPV6_ONLY, state);
        RecursorServer ipv4Only = recursor("127.0.0.2", AddressFamilies.IPV4_ONLY, state)) {
      System.out.println("READY ipv6=" + lab.ipv6() + " (recursors on " + ipv6Only.dnsAddress() + " and "
          + ipv4Only.dnsAddress() + ")");
      System.out.flush();
      while (System.in.read() != -1) {
        // Runs until the test closes stdin (or the namespace's processes are stopped).
      }
    }
  }

  private static RecursorServer recursor(String address, AddressFamilies families, Path state) throws Exception {
    InetAddress listen = InetAddress.getByName(address);
    return new RecursorServer(RecursorConfig.builder()
        .listen(new InetSocketAddress(listen, AddressPlan.DEFAULT_DNS_PORT))
        .admin(new InetSocketAddress(listen, AddressPlan.DEFAULT_ADMIN_PORT))
        .rootHints(RootHints.labDualStack(AddressPlan.EMBEDDED))
        .families(families)
        .stateDir(state)
        .threads(1)
        .build()).start();
  }
}
