package dev.dnslab.authoritative;

import dev.dnslab.core.authority.AuthorityLauncher;
import dev.dnslab.core.authority.AuthorityOptions;
import dev.dnslab.core.lab.LabRole;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The authoritative name server ("Authoritative 네임 서버"): serves {@code zones/authoritative/}
 * (google.com, naver.com, nheos.com, nhn.com, example.co.kr, example.org) and gives the final answers.
 */
@Command(
    name = "authoritative-ns",
    mixinStandardHelpOptions = true,
    description = "The lab's authoritative name server (default 127.53.0.13:53, zones/authoritative).")
public final class AuthoritativeNameServer implements Callable<Integer> {
  @Mixin final AuthorityOptions options = new AuthorityOptions(LabRole.AUTHORITATIVE);

  @Override
  public Integer call() {
    return AuthorityLauncher.run(options, System.err);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new AuthoritativeNameServer()).execute(args));
  }
}
