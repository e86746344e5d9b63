package dev.dnslab.recursor.iterator;

import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Names the kind of server asked (root, TLD, authoritative) for the trace and the {@code
 * server_role} metric tag. A lab host (.11, .12, .13 of a lab /24) is named after its {@link
 * LabRole}; any other server after the zone it was asked about: the root zone, a top-level zone,
 * or anything deeper.
 */
public final class ServerRoleNamer {
  /** Made once: a role is named for every upstream query and reply. */
  private static final List<LabRole> SERVER_ROLES = List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE);

  private final List<Cidr> labNetworks;

  public ServerRoleNamer(List<Cidr> labNetworks) {
    this.labNetworks = List.copyOf(labNetworks);
  }

  public String roleOf(InetAddress address, Name zone) {
    if (address instanceof Inet4Address && Cidr.anyContains(labNetworks, address)) {
      int host = address.getAddress()[3] & 0xFF;
      for (LabRole role : SERVER_ROLES) {
        if (role.hostNumber() == host) {
          return role.zoneDirectory();
        }
      }
    }
    if (zone.equals(Name.root)) {
      return "root";
    }
    return zone.labels() == 2 ? "tld" : "authoritative";
  }
}
