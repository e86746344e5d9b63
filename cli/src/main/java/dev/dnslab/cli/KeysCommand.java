package dev.dnslab.cli;

import dev.dnslab.core.authority.AuthorityLauncher;
import dev.dnslab.core.dnssec.DnssecPolicyException;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.KeyRole;
import dev.dnslab.core.dnssec.KeyRoll;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.ZoneKeys;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.dnssec.ZoneSigning;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
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
    subcommands = {KeysCommand.New.class, KeysCommand.Roll.class, CommandLine.HelpCommand.class})
final class KeysCommand {
  /** How the policy signs {@code origin}, or null after telling the user it leaves the zone unsigned. */
  private static ZoneSigning.Signed signedByPolicy(ZoneSigner signer, Name origin, PrintWriter err, String command) {
    if (signer.policy().forZone(origin) instanceof ZoneSigning.Signed signed) {
      return signed;
    }
    err.println("dnslab keys " + command + ": the DNSSEC policy leaves " + origin + " unsigned: it has no keys");
    return null;
  }

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
        ZoneSigning.Signed signed = signedByPolicy(signer, origin, err, "new");
        if (signed == null) {
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

  /**
   * {@code dnslab keys roll --zone NAME [--zsk|--ksk] [--step]}: an RFC 7583 rollover that a
   * validating resolver never notices (unlike {@code keys new}): a pre-published ZSK, or a double-DS
   * KSK. The first call starts it; each phase then begins at its time, or at once with {@code --step}.
   */
  @Command(
      name = "roll",
      mixinStandardHelpOptions = true,
      description = {
        "Roll a zone's ZSK (pre-publish) or KSK (double-DS) without breaking validation (RFC 7583).",
        "The first call starts the roll; each phase begins after RFC 7583's wait (the servers follow within a",
        "minute), or at once with --step (then the waits are yours to keep). Without --zsk/--ksk/--step: its state."})
  static final class Roll implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin LabKeysOptions lab = new LabKeysOptions();

    @Option(names = "--zone", paramLabel = "NAME", required = true, description = "The zone whose key rolls.")
    String zone;

    @Option(names = "--zsk", description = "Start a pre-publish rollover of the zone-signing key (RFC 7583 3.2.1).")
    boolean zsk;

    @Option(names = "--ksk", description = "Start a double-DS rollover of the key-signing key (RFC 7583 3.3.2).")
    boolean ksk;

    @Option(names = "--step", description = "Begin the roll's next phase now.")
    boolean step;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        Name origin = Name.fromString(zone, Name.root);
        ZoneSigner signer = lab.signer();
        ZoneSigning.Signed signed = signedByPolicy(signer, origin, err, "roll");
        if (signed == null) {
          return AuthorityLauncher.EXIT_BAD_ZONE;
        }
        KeyDirectory keys = signer.keyDirectory();
        Instant now = Instant.now();
        keys.loadOrCreate(origin, signed, now); // the keys a server would make at its first load
        if (zsk && ksk || (zsk || ksk) && step) {
          err.println("dnslab keys roll: one of --zsk, --ksk or --step");
          return 2;
        }
        KeyRoll roll;
        if (zsk || ksk) {
          roll = keys.startRoll(origin, zsk ? KeyRole.ZSK : KeyRole.KSK, now);
        } else if (step) {
          roll = keys.stepRoll(origin, now);
        } else {
          roll = keys.roll(origin).orElse(null);
        }
        if (roll == null) {
          out.println(origin + " is not rolling its keys");
        } else {
          out.println(origin + " " + roll.role() + " rollover: " + roll.phaseAt(now).name().toLowerCase(Locale.ROOT)
              + "; published " + roll.published() + ", active " + roll.active() + ", done " + roll.done());
          if (roll.role() == KeyRole.KSK && origin.equals(Name.root)) {
            err.println("NOTE: the root's DS is the lab's trust anchor: give resolvers the new anchor"
                + " (dnslab trust-anchor lists both while the roll runs) before the new KSK takes over.");
          }
        }
        keys.load(origin, now).ifPresent(k -> out.println("serving: " + k));
        out.flush();
        return 0;
      } catch (TextParseException e) {
        err.println("dnslab keys roll: --zone: " + zone + ": " + e.getMessage());
        return 2;
      } catch (DnssecPolicyException e) {
        err.println("dnslab keys roll: " + e.getMessage());
        return AuthorityLauncher.EXIT_BAD_ZONE;
      } catch (IllegalStateException e) {
        err.println("dnslab keys roll: " + e.getMessage());
        return 1;
      }
    }
  }
}
