package dev.dnslab.cli;

import dev.dnslab.core.dnssec.DnssecPolicyException;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.TrustAnchorFiles;
import dev.dnslab.core.dnssec.TrustAnchorFormat;
import dev.dnslab.core.authority.AuthorityLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dnslab trust-anchor}: the lab root's trust anchor (RFC 4035 4.4), the one thing a
 * validating resolver needs to validate the lab instead of the real Internet, in the form each
 * resolver reads. The root's keys are made now if the lab has none yet, so a resolver can be set
 * up before the first {@code dnslab up}.
 */
@Command(
    name = "trust-anchor",
    mixinStandardHelpOptions = true,
    description = {
      "Print the lab root's DNSSEC trust anchor for a validating resolver.",
      "Formats: ds and dnskey (master-file records), unbound, bind, knot (Knot Resolver), pdns (PowerDNS Recursor).",
      "unbound and knot name an anchor file, written to <state-dir>/" + TrustAnchorCommand.ANCHOR_FILE + "."})
final class TrustAnchorCommand implements Callable<Integer> {
  /** The anchor file beside the keys, for resolvers that read one. */
  static final String ANCHOR_FILE = TrustAnchorFiles.DS_FILE;

  /** Short names a user types, besides each format's own name. */
  private static final Map<String, TrustAnchorFormat> ALIASES =
      Map.of("knot", TrustAnchorFormat.KNOT_RESOLVER, "pdns", TrustAnchorFormat.POWERDNS_RECURSOR);

  @Spec CommandSpec spec;

  @Mixin LabKeysOptions lab = new LabKeysOptions();

  @Option(names = "--format", paramLabel = "FORMAT", description = "ds (default), dnskey, unbound, bind, knot or pdns.")
  String format = "ds";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TrustAnchor anchor;
    try {
      anchor = lab.signer().rootTrustAnchor();
    } catch (DnssecPolicyException | IllegalStateException e) {
      err.println("dnslab trust-anchor: " + e.getMessage());
      return AuthorityLauncher.EXIT_BAD_ZONE;
    }
    String name = format.toLowerCase(Locale.ROOT);
    if (name.equals("ds")) {
      out.print(anchor.anchorFileText());
    } else if (name.equals("dnskey")) {
      anchor.dnskeys().forEach(out::println);
    } else {
      TrustAnchorFormat resolver = formatNamed(name);
      if (resolver == null) {
        err.println("dnslab trust-anchor: --format: " + format + " (expected: ds, dnskey, unbound, bind, knot, pdns, "
            + Arrays.stream(TrustAnchorFormat.values()).map(TrustAnchorFormat::cliName).collect(Collectors.joining(", ")) + ")");
        return 2;
      }
      Path file = lab.stateDir().resolve(ANCHOR_FILE).toAbsolutePath();
      try {
        TrustAnchorFiles.publish(anchor, lab.stateDir());
      } catch (IOException e) {
        err.println("dnslab trust-anchor: cannot write " + file + ": " + e.getMessage());
        return 1;
      }
      out.print(resolver.render(anchor, file));
    }
    out.flush();
    return 0;
  }

  private static TrustAnchorFormat formatNamed(String name) {
    if (ALIASES.containsKey(name)) {
      return ALIASES.get(name);
    }
    return Arrays.stream(TrustAnchorFormat.values()).filter(f -> f.cliName().equals(name)).findFirst().orElse(null);
  }
}
