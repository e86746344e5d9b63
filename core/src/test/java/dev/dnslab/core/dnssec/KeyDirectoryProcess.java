package dev.dnslab.core.dnssec;

import java.nio.file.Path;
import org.xbill.DNS.Name;

/** A second JVM for {@link KeyDirectoryTest}: asks for a zone's keys and prints their DS. */
public final class KeyDirectoryProcess {
  private KeyDirectoryProcess() {}

  public static void main(String[] args) {
    KeyDirectory keys = new KeyDirectory(Path.of(args[0]));
    ZoneKeys zone = keys.loadOrCreate(Name.fromConstantString(args[1]), KeyDirectoryTest.POLICY);
    System.out.println("DS " + zone.ds(ZoneKeys.DNSKEY_TTL));
  }
}
