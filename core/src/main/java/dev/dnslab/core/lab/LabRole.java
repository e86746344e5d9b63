package dev.dnslab.core.lab;

import java.util.Locale;

/**
 * The parts of the story, each a server on its own lab address. The host number is the same in
 * every deployment: 127.53.0.11 embedded is 172.28.53.11 in compose.
 */
public enum LabRole {
  /** "Root 네임 서버": knows only who runs each top-level domain. */
  ROOT("root-ns", 11, "root"),
  /** "TLD 네임 서버": com, net, org, kr and co.kr. */
  TLD("tld-ns", 12, "tld"),
  /** "Authoritative 네임 서버": google.com, naver.com, example.co.kr, ... */
  AUTHORITATIVE("authoritative-ns", 13, "authoritative"),
  /** "ISP DNS 서버" (the DNS recursor). */
  RECURSOR("recursor", 53, null),
  /** The web server of every lab site. */
  WEB("web-server", 80, null),
  /** "라우터 캐시": the home router's caching DNS forwarder, between the client and the recursor. */
  ROUTER("router", 254, null);

  private final String serviceName;
  private final int hostNumber;
  private final String zoneDirectory;

  LabRole(String serviceName, int hostNumber, String zoneDirectory) {
    this.serviceName = serviceName;
    this.hostNumber = hostNumber;
    this.zoneDirectory = zoneDirectory;
  }

  /** The name used for the module, the compose service and the {@code role} metric tag. */
  public String serviceName() {
    return serviceName;
  }

  /** The last octet of the role's address in every deployment. */
  public int hostNumber() {
    return hostNumber;
  }

  /** The folder under {@code zones/} holding this role's zone files, or null for non-authorities. */
  public String zoneDirectory() {
    return zoneDirectory;
  }

  public static LabRole fromServiceName(String name) {
    for (LabRole role : values()) {
      if (role.serviceName.equals(name) || role.name().equalsIgnoreCase(name)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role: " + name);
  }

  @Override
  public String toString() {
    return serviceName.toLowerCase(Locale.ROOT);
  }
}
