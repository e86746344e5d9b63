package dev.dnslab.cli;

import dev.dnslab.core.authority.AuthorityLauncher;
import dev.dnslab.core.dnssec.DnssecPolicyException;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.ZoneKeys;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.dnssec.ZoneSigning;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dnslab keys}: the lab's DNSSEC keys. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Work with the lab's DNSSEC keys.",
    subcommands = {KeysCommand.New.class, CommandLine.HelpCommand.class})
final class KeysCommand {
  /**
   * {@code dnslab keys new [--zone NAME]}: replaces a zone's keys (by default the root's, which
   * changes the trust anchor). Keys are otherwise made once and kept; this is the only way to get
   * new ones besides deleting the state dir.
   */
  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = {
        "Make new DNSSEC keys for a zone (default: the root, which changes the lab's trust anchor).",
        "Reload or restart every lab server afterwards (kill -HUP, POST /reload, or dnslab up again):",
        "the zone and its parent's DS are signed from the keys on disk at each load."})
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin LabKeysOptions lab = new LabKeysOptions();

    @Option(names = "--zone", paramLabel = "NAME", description = "The zone whose keys to replace (default: . , the root).")
    String zone = ".";

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        Name origin = Name.fromString(zone, Name.root);
        ZoneSigner signer = lab.signer();
        if (!(signer.policy().forZone(origin) instanceof ZoneSigning.Signed signed)) {
          err.println("dnslab keys new: the DNSSEC policy leaves " + origin + " unsigned: it has no keys");
          return AuthorityLauncher.EXIT_BAD_ZONE;
        }
        ZoneKeys keys = signer.keyDirectory().createNew(origin, signed);
        out.println("new keys for " + keys);
        if (origin.equals(Name.root)) {
          err.println("WARNING: the lab's trust anchor changed. Validating resolvers configured with the old one"
              + " will treat the whole lab as bogus (SERVFAIL) until given the new one: dnslab trust-anchor.");
          out.print(TrustAnchor.of(keys).anchorFileText());
        } else {
          err.println("WARNING: " + origin + "'s DS in its parent changes too: reload the parent's server as well,"
              + " or validating resolvers will see " + origin + " as bogus.");
        }
        out.flush();
        return 0;
      } catch (TextParseException e) {
        err.println("dnslab keys new: --zone: " + zone + ": " + e.getMessage());
        return 2;
      } catch (DnssecPolicyException e) {
        err.println("dnslab keys new: " + e.getMessage());
        return AuthorityLauncher.EXIT_BAD_ZONE;
      }
    }
  }
}
