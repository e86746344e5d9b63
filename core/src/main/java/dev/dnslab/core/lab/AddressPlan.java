package dev.dnslab.core.lab;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.UnaryOperator;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;

/**
 * One address plan, two deployments. The zone files are written with the embedded lab's addresses
 * in 127.53.0.0/24; a deployment on another /24 (the compose bridge, 172.28.53.0/24) keeps every
 * host number and swaps the network, so the same zone sources serve both.
 *
 * <pre>
 *   host  role              embedded        compose
 *   .11   root-ns           127.53.0.11     172.28.53.11
 *   .12   tld-ns            127.53.0.12     172.28.53.12
 *   .13   authoritative-ns  127.53.0.13     172.28.53.13
 *   .53   recursor          127.53.0.53     172.28.53.53
 *   .80   web-server        127.53.0.80     172.28.53.80
 * </pre>
 */
public record AddressPlan(Cidr network, int dnsPort, int adminPort) {
  /** The network the zone files are written in. */
  public static final Cidr ZONE_FILE_NETWORK = Cidr.parse("127.53.0.0/24");

  /** The compose bridge network (see docker-compose.yml). */
  public static final Cidr COMPOSE_NETWORK = Cidr.parse("172.28.53.0/24");

  public static final int DEFAULT_DNS_PORT = 53;
  public static final int DEFAULT_ADMIN_PORT = 9153;

  public static final AddressPlan EMBEDDED =
      new AddressPlan(ZONE_FILE_NETWORK, DEFAULT_DNS_PORT, DEFAULT_ADMIN_PORT);

  public AddressPlan {
    requireNonNull(network, "network");
    if (!(network.network() instanceof Inet4Address) || network.prefixLength() != 24) {
      throw new IllegalArgumentException("network: " + network + " (expected: an IPv4 /24)");
    }
    checkPort("dnsPort", dnsPort);
    checkPort("adminPort", adminPort);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535)");
    }
  }

  public AddressPlan withDnsPort(int port) {
    return new AddressPlan(network, port, adminPort);
  }

  public AddressPlan withNetwork(Cidr newNetwork) {
    return new AddressPlan(newNetwork, dnsPort, adminPort);
  }

  /** The address of {@code role} in this deployment. */
  public InetAddress address(LabRole role) {
    return host(role.hostNumber());
  }

  public InetSocketAddress dnsAddress(LabRole role) {
    return new InetSocketAddress(address(role), dnsPort);
  }

  public InetSocketAddress adminAddress(LabRole role) {
    return new InetSocketAddress(address(role), adminPort);
  }

  /** Maps an address of the zone-file network to the same host in this plan's network. */
  public InetAddress translate(InetAddress address) {
    if (!ZONE_FILE_NETWORK.contains(address)) {
      return address;
    }
    return host(address.getAddress()[3] & 0xFF);
  }

  /** A zone-loading rewrite that moves A records into this plan's network (identity if embedded). */
  public UnaryOperator<Record> zoneRewrite() {
    if (network.equals(ZONE_FILE_NETWORK)) {
      return UnaryOperator.identity();
    }
    return record -> {
      if (record instanceof ARecord a && ZONE_FILE_NETWORK.contains(a.getAddress())) {
        return new ARecord(a.getName(), a.getDClass(), a.getTTL(), translate(a.getAddress()));
      }
      return record;
    };
  }

  private InetAddress host(int hostNumber) {
    byte[] bytes = network.network().getAddress();
    bytes[3] = (byte) hostNumber;
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
