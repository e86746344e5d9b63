package dev.dnslab.cli;

import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.fault.QueryJournalRoute;
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

  /** Starts it, or says why not and returns null: the lab itself runs either way. */
  static AdminServer start(EmbeddedLab lab, QueryJournal journal, PrintWriter out) {
    int adminPort = lab.plan().adminPort();
    int port = adminPort == 0 || adminPort == 65535 ? 0 : adminPort + 1;
    InetSocketAddress listen = new InetSocketAddress(lab.plan().address(LabRole.ROOT), port);
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
