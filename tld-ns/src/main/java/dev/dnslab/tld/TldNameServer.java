package dev.dnslab.tld;

import dev.dnslab.core.authority.AuthorityLauncher;
import dev.dnslab.core.authority.AuthorityOptions;
import dev.dnslab.core.lab.LabRole;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The TLD name server ("TLD 네임 서버"): serves {@code zones/tld/} (com, net, org, kr, co.kr) and
 * refers each second-level name to the server that is authoritative for it.
 */
@Command(
    name = "tld-ns",
    mixinStandardHelpOptions = true,
    description = "The lab's TLD name server (default 127.53.0.12:53, zones/tld).")
public final class TldNameServer implements Callable<Integer> {
  @Mixin final AuthorityOptions options = new AuthorityOptions(LabRole.TLD);

  @Override
  public Integer call() {
    return AuthorityLauncher.run(options, System.err);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TldNameServer()).execute(args));
  }
}
