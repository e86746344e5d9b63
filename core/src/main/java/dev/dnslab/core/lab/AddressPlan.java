package dev.dnslab.core.lab;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.UnaryOperator;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;

/**
 * One address plan, two deployments. The zone files are written with the embedded lab's addresses
 * in 127.53.0.0/24; a deployment on another /24 (the compose bridge, 172.28.53.0/24) keeps every
 * host number and swaps the network, so the same zone sources serve both.
 *
 * <p>The IPv6 side mirrors it in the lab's ULA prefix {@code fd00:53:53::/48} (RFC 4193; the
 * Global ID is chosen to be memorable rather than random, which is safe because the lab's
 * addresses never leave the machine): one /64 per deployment, named after the IPv4 network's first
 * octet, and the host number written as the last group, so that {@code .11} is {@code ::11}.
 *
 * <pre>
 *   host  role              embedded      compose        embedded IPv6       compose IPv6
 *   .11   root-ns           127.53.0.11   172.28.53.11   fd00:53:53:127::11  fd00:53:53:172::11
 *   .12   tld-ns            127.53.0.12   172.28.53.12   fd00:53:53:127::12  fd00:53:53:172::12
 *   .13   authoritative-ns  127.53.0.13   172.28.53.13   fd00:53:53:127::13  fd00:53:53:172::13
 *   .53   recursor          127.53.0.53   172.28.53.53   fd00:53:53:127::53  fd00:53:53:172::53
 *   .80   web-server        127.53.0.80   172.28.53.80   fd00:53:53:127::80  fd00:53:53:172::80
 * </pre>
 *
 * @param network the IPv4 /24 of the deployment
 * @param network6 the IPv6 /64 of the deployment (served only where its addresses can be bound)
 */
public record AddressPlan(Cidr network, Cidr network6, int dnsPort, int adminPort) {
  /** The network the zone files are written in. */
  public static final Cidr ZONE_FILE_NETWORK = Cidr.parse("127.53.0.0/24");

  /** The compose bridge network (see docker-compose.yml). */
  public static final Cidr COMPOSE_NETWORK = Cidr.parse("172.28.53.0/24");

  /** The lab's ULA prefix (RFC 4193): every IPv6 network of the lab lies in it. */
  public static final Cidr LAB_IPV6_PREFIX = Cidr.parse("fd00:53:53::/48");

  /** The IPv6 network the zone files are written in: the embedded lab's, beside 127.53.0.0/24. */
  public static final Cidr ZONE_FILE_NETWORK_V6 = Cidr.parse("fd00:53:53:127::/64");

  /** The compose bridge's IPv6 network (see docker-compose.yml), beside 172.28.53.0/24. */
  public static final Cidr COMPOSE_NETWORK_V6 = Cidr.parse("fd00:53:53:172::/64");

  public static final int DEFAULT_DNS_PORT = 53;
  public static final int DEFAULT_ADMIN_PORT = 9153;

  public static final AddressPlan EMBEDDED =
      new AddressPlan(ZONE_FILE_NETWORK, DEFAULT_DNS_PORT, DEFAULT_ADMIN_PORT);

  public AddressPlan {
    requireNonNull(network, "network");
    requireNonNull(network6, "network6");
    if (!(network.network() instanceof Inet4Address) || network.prefixLength() != 24) {
      throw new IllegalArgumentException("network: " + network + " (expected: an IPv4 /24)");
    }
    if (!(network6.network() instanceof Inet6Address) || network6.prefixLength() != 64) {
      throw new IllegalArgumentException("network6: " + network6 + " (expected: an IPv6 /64)");
    }
    checkPort("dnsPort", dnsPort);
    checkPort("adminPort", adminPort);
  }

  /** A plan on {@code network} with the IPv6 network that goes with it ({@link #ipv6NetworkFor}). */
  public AddressPlan(Cidr network, int dnsPort, int adminPort) {
    this(network, ipv6NetworkFor(network), dnsPort, adminPort);
  }

  /**
   * The compose network's IPv6 /64 for the compose network; the zone files' own for any other,
   * loopback networks included: those serve IPv6 only where its addresses are assigned.
   */
  public static Cidr ipv6NetworkFor(Cidr network) {
    return COMPOSE_NETWORK.equals(network) ? COMPOSE_NETWORK_V6 : ZONE_FILE_NETWORK_V6;
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535)");
    }
  }

  public AddressPlan withDnsPort(int port) {
    return new AddressPlan(network, network6, port, adminPort);
  }

  public AddressPlan withNetwork(Cidr newNetwork) {
    return new AddressPlan(newNetwork, dnsPort, adminPort);
  }

  /** This plan with the DNS and admin ports actually bound. */
  public AddressPlan withPorts(int newDnsPort, int newAdminPort) {
    return new AddressPlan(network, network6, newDnsPort, newAdminPort);
  }

  /** The address of {@code role} in this deployment. */
  public InetAddress address(LabRole role) {
    return host(role.hostNumber());
  }

  /** The IPv6 address of {@code role} in this deployment: the host number as the last group. */
  public InetAddress address6(LabRole role) {
    return host6(role.hostNumber());
  }

  public InetSocketAddress dnsAddress(LabRole role) {
    return new InetSocketAddress(address(role), dnsPort);
  }

  public InetSocketAddress adminAddress(LabRole role) {
    return new InetSocketAddress(address(role), adminPort);
  }

  /** Maps an address of the zone-file networks to the same host in this plan's networks. */
  public InetAddress translate(InetAddress address) {
    if (ZONE_FILE_NETWORK.contains(address)) {
      return host(address.getAddress()[3] & 0xFF);
    }
    if (ZONE_FILE_NETWORK_V6.contains(address)) {
      // Only the interface identifier moves: the network part is replaced, the host kept.
      byte[] moved = address.getAddress();
      System.arraycopy(network6.network().getAddress(), 0, moved, 0, 8);
      return byAddress(moved);
    }
    return address;
  }

  /**
   * A zone-loading rewrite that moves A and AAAA records into this plan's networks (identity if
   * embedded).
   */
  public UnaryOperator<Record> zoneRewrite() {
    if (network.equals(ZONE_FILE_NETWORK) && network6.equals(ZONE_FILE_NETWORK_V6)) {
      return UnaryOperator.identity();
    }
    return record -> {
      if (record instanceof ARecord a && ZONE_FILE_NETWORK.contains(a.getAddress())) {
        return new ARecord(a.getName(), a.getDClass(), a.getTTL(), translate(a.getAddress()));
      }
      if (record instanceof AAAARecord aaaa && ZONE_FILE_NETWORK_V6.contains(aaaa.getAddress())) {
        return new AAAARecord(aaaa.getName(), aaaa.getDClass(), aaaa.getTTL(), translate(aaaa.getAddress()));
      }
      return record;
    };
  }

  private InetAddress host(int hostNumber) {
    byte[] bytes = network.network().getAddress();
    bytes[3] = (byte) hostNumber;
    return byAddress(bytes);
  }

  /** Host 11 is {@code ::11}: the decimal host number read as the last hexadecimal group. */
  private InetAddress host6(int hostNumber) {
    byte[] bytes = network6.network().getAddress();
    int group = Integer.parseInt(Integer.toString(hostNumber), 16);
    bytes[14] = (byte) (group >> 8);
    bytes[15] = (byte) group;
    return byAddress(bytes);
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
