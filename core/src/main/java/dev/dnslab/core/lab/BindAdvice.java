package dev.dnslab.core.lab;

import java.net.BindException;
import java.util.Locale;

/**
 * Turns a failed bind into a message that says exactly what to do, because "Permission denied" on
 * port 53 or an unassigned 127.53.0.x address is the first thing a newcomer meets.
 */
public final class BindAdvice {
  private BindAdvice() {}

  public static String explain(BindException e) {
    String message = String.valueOf(e.getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    StringBuilder advice = new StringBuilder(message);
    if (lower.contains("permission denied") || lower.contains("access denied")) {
      advice.append(
          "\n  Ports below 1024 need privileges. Either run as root (sudo), or let java bind them:"
              + "\n    sudo setcap cap_net_bind_service=+ep \"$(readlink -f \"$(command -v java)\")\""
              + "\n  or move the whole lab to an unprivileged port: --port 5353"
              + " (the recursor then asks the authorities on that port too).");
    } else if (lower.contains("assign requested address") || lower.contains("not available")) {
      advice.append(
          "\n  This address is not configured on the machine."
              + "\n  Linux has all of 127.0.0.0/8 on lo; check with: ip addr show lo"
              + "\n  macOS has only 127.0.0.1; add the lab's addresses once per boot with:"
              + "\n    for h in 11 12 13 53 80; do sudo ifconfig lo0 alias 127.53.0.$h up; done");
    } else if (lower.contains("already in use")) {
      advice.append(
          "\n  Another program holds this address and port (a local DNS server, systemd-resolved,"
              + " or a lab that is already up)."
              + "\n  Find it with: sudo ss -lunpt | grep ':53 '  or use another port: --port 5353");
    }
    return advice.toString();
  }
}
