package dev.dnslab.core.authority;

import dev.dnslab.core.lab.LabRole;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * An authority server in its own JVM, started exactly as the role mains start one (the same options
 * and {@link AuthorityLauncher}, SIGHUP included), for {@link ReloadUnderLoadTest}.
 */
@Command(name = "reload-under-load-server")
public final class ReloadUnderLoadServer implements Callable<Integer> {
  @Mixin final AuthorityOptions options = new AuthorityOptions(LabRole.AUTHORITATIVE);

  @Override
  public Integer call() {
    return AuthorityLauncher.run(options, System.err);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ReloadUnderLoadServer()).execute(args));
  }
}
