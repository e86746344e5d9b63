package dev.dnslab.cli;

import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.fault.QueryJournalRoute;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.lab.EmbeddedLab;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * The query journal of {@code dnslab up --scenario} over HTTP: {@code GET /journal} on the root
 * server's address, one port above the admin port (9154 by default), lists every query the lab
 * received and every fault it injected; {@code POST /journal} clears it.
 */
final class JournalAdmin {
  private JournalAdmin() {}

  /** Where a lab with {@code plan} serves its journal; port 0 (any) when the admin port is 0 or the last. */
  static InetSocketAddress address(AddressPlan plan) {
    int adminPort = plan.adminPort();
    int port = adminPort == 0 || adminPort == 65535 ? 0 : adminPort + 1;
    return new InetSocketAddress(plan.address(LabRole.ROOT), port);
  }

  /** Starts it, or says why not and returns null: the lab itself runs either way. */
  static AdminServer start(EmbeddedLab lab, QueryJournal journal, PrintWriter out) {
    InetSocketAddress listen = address(lab.plan());
    try {
      AdminServer server = AdminServer.builder().listen(listen).route("/journal", new QueryJournalRoute(journal)).build().start();
      out.printf("  query journal     http://%s:%d/journal%n",
          server.address().getAddress().getHostAddress(), server.address().getPort());
      return server;
    } catch (BindException e) {
      out.println("  query journal     not served: " + e.getMessage());
      return null;
    }
  }
}
