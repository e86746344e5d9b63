package dev.dnslab.cli;

import dev.dnslab.core.lab.LabRole;
import dev.dnslab.lab.EmbeddedLab;
import java.io.PrintWriter;
import java.net.InetSocketAddress;

/** What `dnslab up` prints after the authorities: the other services and what to try first. */
final class LabSummary {
  private LabSummary() {}

  static void print(EmbeddedLab lab, PrintWriter out) {
    int port = lab.plan().dnsPort();
    String portFlag = port == 53 ? "" : " -p " + port;
    if (lab.recursor() != null) {
      var recursor = lab.recursor();
      out.printf("  %-17s dns %s  doh https://%s/dns-query  dot %s  admin %s (/cache /trace)%n", LabRole.RECURSOR.serviceName(),
          hostPort(recursor.dnsAddress()), hostPort(recursor.dohAddress()), hostPort(recursor.dotAddress()), url(recursor.adminAddress()));
    }
    if (lab.webServer() != null) {
      var web = lab.webServer();
      out.printf("  %-17s http %s  https %s  admin %s%n", LabRole.WEB.serviceName(),
          hostPort(web.httpAddress()), hostPort(web.httpsAddress()), url(web.adminAddress()));
    }
    if (lab.router() != null) {
      out.printf("  %-17s dns %s  admin %s (/cache)%n", LabRole.ROUTER.serviceName(),
          hostPort(lab.router().dnsAddress()), url(lab.router().adminAddress()));
    }
    if (lab.recursor() != null) {
      out.printf("  lab CA: %s (trust it only where you choose)%n",
          lab.recursor().certificateAuthority().certificatePath());
      out.printf("Try: dig @%s%s www.google.com     (the recursor walks root -> TLD -> authoritative)%n",
          lab.recursor().dnsAddress().getAddress().getHostAddress(), portFlag);
      if (lab.webServer() != null) {
        out.printf("     curl --resolve www.google.com:%d:%s http://www.google.com:%d/%n",
            lab.webServer().httpAddress().getPort(), lab.webServer().httpAddress().getAddress().getHostAddress(),
            lab.webServer().httpAddress().getPort());
      }
    } else {
      out.printf("Try: dig +norec @%s%s www.google.com%n", lab.address(LabRole.ROOT).getAddress().getHostAddress(), portFlag);
    }
  }

  private static String hostPort(InetSocketAddress address) {
    return address == null ? "-" : address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private static String url(InetSocketAddress address) {
    return "http://" + hostPort(address) + "/";
  }
}
