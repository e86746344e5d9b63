package dev.dnslab.core.net;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 prefix such as {@code 127.0.0.0/8} or {@code ::1/128}, used for client ACLs and
 * the recursor's upstream allow-list. Equal when network and length are (a value, like a record;
 * a class for the network's bytes, kept beside it for {@link #contains}).
 */
public final class Cidr {
  public static final Cidr LOOPBACK_V4 = parse("127.0.0.0/8");
  public static final Cidr LOOPBACK_V6 = parse("::1/128");
  public static final List<Cidr> LOOPBACK = List.of(LOOPBACK_V4, LOOPBACK_V6);

  private final InetAddress network;
  private final int prefixLength;
  /** The network's address bytes, made once: {@code InetAddress.getAddress} copies them each call. */
  private final byte[] networkBytes;
  /**
   * An IPv4 network's prefix bits and the mask that keeps them, as ints: an IPv4 candidate is
   * compared without copying its bytes out (see {@link #contains}).
   */
  private final int ipv4Network;
  private final int ipv4Mask;

  public Cidr(InetAddress network, int prefixLength) {
    requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefixLength: " + prefixLength + " (expected: 0.." + bits + ")");
    }
    this.network = mask(network, prefixLength);
    this.prefixLength = prefixLength;
    this.networkBytes = this.network.getAddress();
    this.ipv4Mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    this.ipv4Network = this.network instanceof Inet4Address v4 ? v4.hashCode() & ipv4Mask : 0;
  }

  public InetAddress network() {
    return network;
  }

  public int prefixLength() {
    return prefixLength;
  }

  /** Parses {@code address/length}; a bare address is a host prefix (/32 or /128). */
  public static Cidr parse(String text) {
    requireNonNull(text, "text");
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (!isAddressLiteral(address)) {
      throw new IllegalArgumentException("not an IP address: " + text + " (expected: ADDRESS[/LENGTH])");
    }
    InetAddress network;
    try {
      network = InetAddress.getByName(address); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + text, e);
    }
    int length = network.getAddress().length * 8;
    if (slash >= 0) {
      try {
        length = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("prefix length: " + trimmed.substring(slash + 1) + " (expected: a number)");
      }
    }
    return new Cidr(network, length);
  }

  public static List<Cidr> parseAll(List<String> texts) {
    List<Cidr> all = new ArrayList<>();
    for (String text : texts) {
      all.add(parse(text));
    }
    return List.copyOf(all);
  }

  public static boolean anyContains(List<Cidr> ranges, InetAddress address) {
    // By index: the ACL, both client limits and the upstream deny list call this on every miss,
    // and the immutable list's iterator was not optimised away (async-profiler, event=alloc).
    for (int i = 0, n = ranges.size(); i < n; i++) {
      if (ranges.get(i).contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code address} lies in this prefix: its first {@code prefixLength} bits are the
   * network's. Compared in place, byte by byte: the ACL, the client limits, the upstream allow-list
   * and the lab's server roles ask this several times for every cache miss, and a masked copy made
   * into a new address each time was a measurable share of a miss's allocations. An address of the
   * other family is told apart before its bytes are copied (the lab's networks include an IPv6 one).
   */
  public boolean contains(InetAddress address) {
    if (address.getClass() != network.getClass()) {
      return false; // Inet4Address or Inet6Address, both final
    }
    if (address instanceof Inet4Address v4) {
      // Inet4Address.hashCode is its address as an int (the JDK's since 1.0), while getAddress
      // copies the four bytes into a new array on each call.
      return (v4.hashCode() & ipv4Mask) == ipv4Network;
    }
    byte[] candidate = address.getAddress(); // an IPv6 address, as the network is: 16 bytes each
    byte[] net = networkBytes;
    for (int i = 0; i < net.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
      if (((candidate[i] ^ net[i]) & (0xFF << (8 - keep)) & 0xFF) != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAddressLiteral(String s) {
    return !s.isEmpty() && (s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
  }

  private static InetAddress mask(InetAddress address, int prefixLength) {
    return mask(address.getAddress(), prefixLength);
  }

  private static InetAddress mask(byte[] bytes, int prefixLength) {
    byte[] masked = bytes.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
      masked[i] &= (byte) (0xFF << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(masked);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr cidr && cidr.prefixLength == prefixLength && cidr.network.equals(network);
  }

  @Override
  public int hashCode() {
    return 31 * network.hashCode() + prefixLength;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
