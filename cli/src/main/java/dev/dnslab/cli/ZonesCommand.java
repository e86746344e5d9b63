package dev.dnslab.cli;

import dev.dnslab.core.authority.AuthorityLauncher;
import dev.dnslab.core.config.ConfigFileException;
import dev.dnslab.core.dnssec.SignedZoneWriter;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dnslab zones}: the lab's zones as files other tools read. */
@Command(
    name = "zones",
    mixinStandardHelpOptions = true,
    description = "Work with the lab's zones.",
    subcommands = {ZonesCommand.Export.class, CommandLine.HelpCommand.class})
final class ZonesCommand {
  /**
   * {@code dnslab zones export [--signed] DIR}: every lab zone as an RFC 1035 master file, signed
   * with the lab's keys as its servers sign it (so NSD can serve it, and ldns-verify-zone or BIND's
   * dnssec-verify can check it); a zone the policy leaves unsigned is written unsigned.
   */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Write every lab zone into DIR as a master file (root.zone, com.zone, ...).")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin LabKeysOptions lab = new LabKeysOptions();

    @Option(names = "--signed", description = "Sign with the lab's keys, as the name servers do (DNSKEY, DS, NSEC/NSEC3, RRSIG).")
    boolean signed;

    @Option(names = "--lab-network", description = "The /24 whose addresses the zones get (default: ${DEFAULT-VALUE}).")
    String labNetwork = AddressPlan.ZONE_FILE_NETWORK.toString();

    @Parameters(paramLabel = "DIR", description = "Folder to write the zone files into (made if missing).")
    Path dir;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      AddressPlan plan = new AddressPlan(Cidr.parse(labNetwork), AddressPlan.DEFAULT_DNS_PORT, AddressPlan.DEFAULT_ADMIN_PORT);
      ZoneFileLoader loader = new ZoneFileLoader(plan.zoneRewrite());
      Path zones = lab.zones();
      Instant now = Instant.now();
      try {
        ZoneSigner signer = signed ? lab.signer() : null;
        for (String file : BundledZones.FILES) {
          Zone zone = loader.load(zones.resolve(file));
          Path written = signer != null && signer.signs(zone)
              ? SignedZoneWriter.write(dir, signer.sign(zone, now))
              : SignedZoneWriter.write(dir, zone);
          out.println(written);
        }
      } catch (ConfigFileException e) {
        err.println("dnslab zones export: " + e.getMessage());
        return AuthorityLauncher.EXIT_BAD_ZONE;
      } catch (IOException e) {
        err.println("dnslab zones export: cannot write into " + dir + ": " + e.getMessage());
        return 1;
      }
      out.flush();
      return 0;
    }
  }
}
