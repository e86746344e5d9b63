package dev.dnslab.recursor.iterator;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * Words the trace note for a name server address that gave no reply when the same name server has
 * an address of the other family left to ask: an IPv6-lame server (its AAAA does not answer) is
 * asked over IPv4 next, and {@code /trace} says so, as Happy Eyeballs (RFC 8305) falls back.
 */
final class IpFallback {
  private IpFallback() {}

  /** {@code "; IPv6 address unreachable: falling back to IPv4"} or the reverse, else empty. */
  static String note(InetAddress server, DelegationPoint delegation, ServerSelector selector) {
    Name nameServer = delegation.nameServerOf(server);
    if (nameServer == null) {
      return "";
    }
    boolean otherFamilyLeft = delegation.untriedAddresses().stream()
        .filter(selector.families()::permits)
        .anyMatch(address -> delegation.nameServerOf(address).equals(nameServer)
            && (address instanceof Inet6Address) != (server instanceof Inet6Address));
    if (!otherFamilyLeft) {
      return "";
    }
    return server instanceof Inet4Address
        ? "; IPv4 address gave no reply: falling back to IPv6"
        : "; IPv6 address gave no reply: falling back to IPv4";
  }
}
