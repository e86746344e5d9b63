package dev.dnslab.cli.visit;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.lab.EmbeddedLab;
import dev.dnslab.recursor.RecursorConfig;
import dev.dnslab.recursor.RecursorServer;
import dev.dnslab.web.WebServer;
import dev.dnslab.web.WebServerConfig;
import java.nio.file.Path;

/**
 * The lab on its real addresses and ports (127.53.0.0/24, DNS on 53, web on 80 and 443), for a
 * network namespace of its own: started by {@link ChromiumThroughTheLabIT} with {@code ip netns
 * exec}, it prints READY and runs until its stdin closes.
 *
 * <p>The recursor also answers DNS over HTTPS on https://127.53.0.53/dns-query (lab CA in the state
 * directory). Arguments: zones folder, sites folder, state directory.
 */
public final class NetnsLab {
  private NetnsLab() {}

  public static void main(String[] args) throws Exception {
    Path zones = Path.of(args[0]);
    Path sites = Path.of(args[1]);
    Path state = Path.of(args[2]);
    try (EmbeddedLab authorities = EmbeddedLab.builder().plan(AddressPlan.EMBEDDED).zones(zones)
            // the recursor below validates from the root key this lab signs with, found in the same state dir
            .stateDir(state).build().start();
        RecursorServer recursor = new RecursorServer(RecursorConfig.builder()
            .doh(new java.net.InetSocketAddress(AddressPlan.EMBEDDED.address(LabRole.RECURSOR), RecursorConfig.DEFAULT_DOH_PORT))
            .stateDir(state).threads(1).build()).start();
        WebServer web = new WebServer(WebServerConfig.onAddress(AddressPlan.EMBEDDED.address(LabRole.WEB), sites, state)
            .withThreads(1)).start()) {
      System.out.println("READY recursor " + recursor.dnsAddress() + " web " + web.httpAddress());
      System.out.flush();
      while (System.in.read() != -1) {
        // Runs until the test closes stdin (or the namespace's processes are stopped).
      }
    }
  }
}
