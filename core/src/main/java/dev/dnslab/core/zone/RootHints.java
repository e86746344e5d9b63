package dev.dnslab.core.zone;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Where resolution starts (RFC 1034 5.3.2 SBELT): the root's name servers and their addresses, in
 * the format of {@code named.root} (". NS a.root-servers.net." plus "a.root-servers.net. A ...").
 * The one type that both writes the format ({@link #toText()}, {@link #labFile}) and reads it
 * ({@link #load}). The default is the lab root, never the Internet's.
 *
 * <pre>{@code
 * RootHints hints = RootHints.lab(AddressPlan.EMBEDDED);  // a.root-servers.net. at 127.53.0.11
 * Files.writeString(file, hints.toText());
 * RootHints.load(file);                                    // equals hints
 * }</pre>
 */
public record RootHints(Map<Name, List<InetAddress>> nameServers) {
  /** Hints only seed priming; the root's own NS answer replaces them (RFC 8109 3). */
  private static final long HINT_TTL = 3_600_000;

  public RootHints {
    requireNonNull(nameServers, "nameServers");
    Map<Name, List<InetAddress>> copy = new LinkedHashMap<>();
    nameServers.forEach((name, addresses) -> copy.put(name, List.copyOf(addresses)));
    nameServers = Collections.unmodifiableMap(copy);
    if (nameServers.values().stream().allMatch(List::isEmpty)) {
      throw new IllegalArgumentException("root hints: no root server has an address");
    }
  }

  /** The lab root: a.root-servers.net at 127.53.0.11 (or its address in another plan). */
  public static RootHints lab(AddressPlan plan) {
    return single(Name.fromConstantString("a.root-servers.net."), plan.address(LabRole.ROOT));
  }

  /**
   * The lab root on both families: a.root-servers.net at 127.53.0.11 and fd00:53:53:127::11 (or
   * their addresses in another plan), for a resolver that may ask over IPv6 or only over IPv6.
   */
  public static RootHints labDualStack(AddressPlan plan) {
    return new RootHints(Map.of(Name.fromConstantString("a.root-servers.net."),
        List.of(plan.address(LabRole.ROOT), plan.address6(LabRole.ROOT))));
  }

  public static RootHints single(Name name, InetAddress address) {
    return new RootHints(Map.of(name, List.of(address)));
  }

  /** Reads a hints file in zone-file syntax; errors say {@code file:line: reason}. */
  public static RootHints load(Path file) throws IOException {
    Map<Name, List<InetAddress>> servers = new LinkedHashMap<>();
    List<Record> addresses = new ArrayList<>();
    try (Master master = new Master(file.toString(), Name.root)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        if (record instanceof NSRecord ns && ns.getName().equals(Name.root)) {
          servers.putIfAbsent(ns.getTarget(), new ArrayList<>());
        } else if (record instanceof ARecord || record instanceof AAAARecord) {
          addresses.add(record);
        }
      }
    }
    for (Record record : addresses) {
      List<InetAddress> list = servers.get(record.getName());
      if (list != null) {
        list.add(record instanceof ARecord a ? a.getAddress() : ((AAAARecord) record).getAddress());
      }
    }
    if (servers.isEmpty()) {
      throw new IOException(file + ": no \". NS\" records (expected: the root's name servers)");
    }
    try {
      return new RootHints(servers);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** The hints as {@code named.root} records: one NS line per server, then its A/AAAA lines. */
  public String toText() {
    StringBuilder text = new StringBuilder();
    nameServers.keySet().forEach(name -> text.append(line(Name.root, "NS", name.toString())));
    nameServers.forEach((name, addresses) -> addresses.forEach(address ->
        text.append(line(name, address instanceof Inet6Address ? "AAAA" : "A", address.getHostAddress()))));
    return text.toString();
  }

  private static String line(Name owner, String type, String data) {
    return String.format("%-24s %d  %-3s %s", owner, HINT_TTL, type, data) + "\n";
  }

  /**
   * The hints file {@code dnslab root-hints} prints for a lab deployed by {@code plan}: the lab
   * root only, with a note when the lab's port is not 53 (hints and referrals carry no port).
   */
  public static String labFile(AddressPlan plan) {
    StringBuilder text = new StringBuilder();
    text.append("; Root hints for the dnslab lab (dnslab root-hints). Loopback only: with these\n")
        .append("; hints and no others, a resolver never contacts the Internet's root servers.\n");
    if (plan.dnsPort() != AddressPlan.DEFAULT_DNS_PORT) {
      text.append("; NOTE: the lab listens on port ").append(plan.dnsPort())
          .append(", but hints and referrals carry no port:\n")
          .append("; resolvers will ask port 53. Run the lab on port 53 (dnslab up --port 53,\n")
          .append("; as root or with cap_net_bind_service) for a real resolver to follow it.\n");
    }
    return text.append(lab(plan).toText()).toString();
  }
}
