package dev.dnslab.root;

import dev.dnslab.core.authority.AuthorityLauncher;
import dev.dnslab.core.authority.AuthorityOptions;
import dev.dnslab.core.lab.LabRole;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The root name server ("Root 네임 서버"): serves {@code zones/root/}, the root zone, and answers
 * every question about a name below a TLD with a referral to that TLD's servers.
 */
@Command(
    name = "root-ns",
    mixinStandardHelpOptions = true,
    description = "The lab's root name server (default 127.53.0.11:53, zones/root).")
public final class RootNameServer implements Callable<Integer> {
  @Mixin final AuthorityOptions options = new AuthorityOptions(LabRole.ROOT);

  @Override
  public Integer call() {
    return AuthorityLauncher.run(options, System.err);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RootNameServer()).execute(args));
  }
}
