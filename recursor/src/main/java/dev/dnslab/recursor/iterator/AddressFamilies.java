package dev.dnslab.recursor.iterator;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * Which address families the recursor sends upstream queries over: both by default, one with
 * {@code --no-ipv4} or {@code --no-ipv6} (Unbound's {@code do-ip4}/{@code do-ip6}, BIND's
 * {@code -4}/{@code -6}). A name server address of a family that is off is never asked, and its
 * glue is kept but not used.
 *
 * @param ipv4 whether IPv4 name server addresses (A records, RFC 1035) are asked
 * @param ipv6 whether IPv6 name server addresses (AAAA records, RFC 3596) are asked
 */
public record AddressFamilies(boolean ipv4, boolean ipv6) {
  public static final AddressFamilies BOTH = new AddressFamilies(true, true);
  public static final AddressFamilies IPV4_ONLY = new AddressFamilies(true, false);
  public static final AddressFamilies IPV6_ONLY = new AddressFamilies(false, true);

  public AddressFamilies {
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException("address families: none (expected: IPv4, IPv6 or both)");
    }
  }

  /** Whether a name server at {@code address} may be asked. */
  public boolean permits(InetAddress address) {
    return address instanceof Inet6Address ? ipv6 : ipv4;
  }

  /**
   * The types that give a name server's addresses, in the order a glue-less name server is looked
   * up: A first (every lab server and most of the Internet's have one), AAAA only when that gave
   * nothing usable, so a dual-stack name server costs one lookup and an IPv6-only one two.
   */
  public List<Integer> addressTypes() {
    List<Integer> types = new ArrayList<>();
    if (ipv4) {
      types.add(Type.A);
    }
    if (ipv6) {
      types.add(Type.AAAA);
    }
    return List.copyOf(types);
  }

  @Override
  public String toString() {
    return ipv4 && ipv6 ? "IPv4 and IPv6" : ipv4 ? "IPv4 only" : "IPv6 only";
  }
}
