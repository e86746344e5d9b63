package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.zone.RootHints;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * A zone cut the resolution is working at: the zone, its name servers, the addresses known for
 * them, and which addresses were already tried (each at most once per delegation point). Used by
 * one resolution at a time.
 *
 * <p>Every resolution that is not answered from the cache builds one (a cache miss under a cached
 * cut builds it from the cache), and most ask one server that answers: what only glueless name
 * servers and timeouts need is made when first needed, and the tried addresses (a few: the
 * servers of one zone) are a list, and so are the name servers: a zone has a few, and a map of
 * them (its table, a node each and its values view) was more than half of what a miss's
 * delegation allocated (async-profiler event=alloc). A point {@link #sharingServers shares} its
 * name servers and their addresses with the one it was made from until either adds to them:
 * every miss below a cached cut starts from the same ones ({@link IteratorCache} keeps them).
 */
public final class DelegationPoint {
  /** A name server and the addresses known for it, an address or two (IPv4 and IPv6) usually. */
  private record NameServer(Name name, List<InetAddress> addresses) {}

  private final Name zone;
  // In the order they were added. Sized for a zone's usual two to four name servers.
  private List<NameServer> nameServers = new ArrayList<>(4);
  // Whether nameServers (and each server's addresses) may be read by another point too: copied
  // before the first change, so neither point sees what the other adds.
  private boolean sharedServers;
  private final List<InetAddress> tried = new ArrayList<>(2);
  // Made on first use, like the two below: name servers looked up for want of an address.
  private Set<Name> lookedUp;
  private boolean lookupsCapped;
  private Map<InetAddress, Integer> timeouts;
  private Set<InetAddress> retransmittable;

  public DelegationPoint(Name zone) {
    this.zone = requireNonNull(zone, "zone");
  }

  /** A fresh delegation point for the root zone, from the hints (RFC 1034 5.3.2 SBELT). */
  public static DelegationPoint root(RootHints hints) {
    DelegationPoint root = new DelegationPoint(Name.root);
    hints.nameServers().forEach((name, addresses) -> {
      root.addNameServer(name);
      addresses.forEach(address -> root.addAddress(name, address));
    });
    return root;
  }

  /**
   * A point for a new resolution at {@code zone} (the same cut, named as that resolution asks for
   * it), with these name servers and addresses and nothing tried, looked up or timed out.
   */
  DelegationPoint sharingServers(Name zone) {
    DelegationPoint point = new DelegationPoint(zone);
    if (!sharedServers) {
      sharedServers = true; // written once, before a kept point is published to other loops
    }
    point.nameServers = nameServers;
    point.sharedServers = true;
    return point;
  }

  public Name zone() {
    return zone;
  }

  public void addNameServer(Name name) {
    addressesOf(name);
  }

  public void addAddress(Name nameServer, InetAddress address) {
    List<InetAddress> addresses = addressesOf(nameServer);
    if (!addresses.contains(address)) {
      addresses.add(address);
    }
  }

  /** The addresses known for {@code name} (Name.equals ignores case, RFC 4343), added when new. */
  private List<InetAddress> addressesOf(Name name) {
    if (sharedServers) {
      ownServers();
    }
    for (int i = 0, n = nameServers.size(); i < n; i++) {
      NameServer server = nameServers.get(i);
      if (server.name().equals(name)) {
        return server.addresses();
      }
    }
    NameServer added = new NameServer(name, new ArrayList<>(2));
    nameServers.add(added);
    return added.addresses();
  }

  /** Replaces the shared name servers with a copy of this point's own, addresses and all. */
  private void ownServers() {
    List<NameServer> own = new ArrayList<>(Math.max(4, nameServers.size()));
    for (int i = 0, n = nameServers.size(); i < n; i++) {
      NameServer server = nameServers.get(i);
      own.add(new NameServer(server.name(), new ArrayList<>(server.addresses())));
    }
    nameServers = own;
    sharedServers = false;
  }

  public boolean hasAddresses() {
    for (int i = 0, n = nameServers.size(); i < n; i++) {
      if (!nameServers.get(i).addresses().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The name servers' names, in the order they were added. */
  public List<Name> nameServerNames() {
    List<Name> names = new ArrayList<>(nameServers.size());
    for (NameServer server : nameServers) {
      names.add(server.name());
    }
    return names;
  }

  /** Addresses not tried yet at this delegation point. */
  public List<InetAddress> untriedAddresses() {
    List<InetAddress> untried = new ArrayList<>(4);
    for (int i = 0, n = nameServers.size(); i < n; i++) {
      List<InetAddress> addresses = nameServers.get(i).addresses();
      for (int j = 0, m = addresses.size(); j < m; j++) {
        InetAddress address = addresses.get(j);
        if (!tried.contains(address) && !untried.contains(address)) {
          untried.add(address);
        }
      }
    }
    return untried;
  }

  public void markTried(InetAddress address) {
    if (!tried.contains(address)) {
      tried.add(address);
    }
  }

  /**
   * Records a timeout of {@code address}; while it has timed out at most {@code maxRetransmissions}
   * times it may be asked again once every other server was tried: UDP loses packets, and a zone
   * whose only server dropped one query must not fail for it (RFC 1035 4.2.1, RFC 1536 1).
   * Returns whether it may.
   */
  public boolean retransmitAfterTimeout(InetAddress address, int maxRetransmissions) {
    if (timeouts == null) {
      timeouts = new HashMap<>();
      retransmittable = new LinkedHashSet<>();
    }
    int count = timeouts.merge(address, 1, Integer::sum);
    if (count <= maxRetransmissions) {
      retransmittable.add(address);
      return true;
    }
    return false;
  }

  /**
   * Takes the servers that timed out but may be asked again back into the untried set; call when
   * nothing else is left to try. Returns whether there were any.
   */
  public boolean readmitForRetransmission() {
    if (retransmittable == null || retransmittable.isEmpty()) {
      return false;
    }
    tried.removeAll(retransmittable);
    retransmittable.clear();
    return true;
  }

  /** Lets an address be asked again (after a TCP retry or a 0x20 fallback to the same server). */
  public void untry(InetAddress address) {
    tried.remove(address);
  }

  /**
   * A name server with no address yet whose address we have not tried to look up: RFC 1034 5.3.3
   * step 4's "NS without glue", resolved as a separate query. Null when none is left, or when
   * {@code maxLookups} were looked up already for this delegation (the NXNSAttack cap).
   */
  public Name nextNameServerToLookUp(int maxLookups) {
    return nextNameServerToLookUp(maxLookups, address -> true);
  }

  /**
   * Like {@link #nextNameServerToLookUp(int)}, for a name server none of whose known addresses is
   * {@code usable}: one with only AAAA glue is looked up for its A record when IPv6 is off.
   */
  public Name nextNameServerToLookUp(int maxLookups, java.util.function.Predicate<InetAddress> usable) {
    if (lookedUp == null) {
      lookedUp = new HashSet<>();
    }
    for (NameServer server : nameServers) {
      if (server.addresses().stream().noneMatch(usable) && !lookedUp.contains(server.name())) {
        if (lookedUp.size() >= maxLookups) {
          // CVE-2020-8616: the referral names more glueless servers than we look up for it.
          lookupsCapped = true;
          return null;
        }
        lookedUp.add(server.name());
        return server.name();
      }
    }
    return null;
  }

  /** Whether {@link #nextNameServerToLookUp} left name servers unlooked-up because of its cap. */
  public boolean lookupsCapped() {
    return lookupsCapped;
  }

  /** The name server an address belongs to, for the trace. */
  public Name nameServerOf(InetAddress address) {
    for (NameServer server : nameServers) {
      if (server.addresses().contains(address)) {
        return server.name();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder().append(zone).append(" {");
    for (int i = 0; i < nameServers.size(); i++) {
      NameServer server = nameServers.get(i);
      text.append(i == 0 ? "" : ", ").append(server.name()).append('=').append(server.addresses());
    }
    return text.append('}').toString();
  }
}
