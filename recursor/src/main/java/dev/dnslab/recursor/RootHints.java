package dev.dnslab.recursor;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.recursor.iterator.DelegationPoint;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Where resolution starts: the root's name servers and their addresses, as in a {@code
 * named.root} file (". NS a.root-servers.net." plus "a.root-servers.net. A ..."). The default is
 * the lab root, never the Internet's.
 */
public record RootHints(Map<Name, List<InetAddress>> nameServers) {
  public RootHints {
    requireNonNull(nameServers, "nameServers");
    Map<Name, List<InetAddress>> copy = new LinkedHashMap<>();
    nameServers.forEach((name, addresses) -> copy.put(name, List.copyOf(addresses)));
    nameServers = java.util.Collections.unmodifiableMap(copy);
    if (nameServers.values().stream().allMatch(List::isEmpty)) {
      throw new IllegalArgumentException("root hints: no root server has an address");
    }
  }

  /** The lab root: a.root-servers.net at 127.53.0.11 (or its address in another plan). */
  public static RootHints lab(AddressPlan plan) {
    return single(Name.fromConstantString("a.root-servers.net."), plan.address(LabRole.ROOT));
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

  /** A fresh delegation point for the root zone. */
  public DelegationPoint delegationPoint() {
    DelegationPoint root = new DelegationPoint(Name.root);
    nameServers.forEach((name, addresses) -> {
      root.addNameServer(name);
      addresses.forEach(address -> root.addAddress(name, address));
    });
    return root;
  }
}
