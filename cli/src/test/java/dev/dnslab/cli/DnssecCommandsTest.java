package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.TrustAnchorFiles;
import dev.dnslab.testing.Tool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dnslab trust-anchor}, {@code zones export --signed} and {@code keys new} on a state dir of
 * the test's own; exported zones are checked by ldns and BIND, anchors by the resolvers' checkers.
 */
class DnssecCommandsTest {
  @TempDir Path state;

  record Run(int exitCode, String out, String err) {}

  Run dnslab(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new DnslabCommand());
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    List<String> arguments = new ArrayList<>(List.of(args));
    arguments.addAll(List.of("--state-dir", state.toString(), "--zones", "../zones"));
    int exit = command.execute(arguments.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  static Run tool(Tool tool, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool.require()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command + " finished").isTrue();
    return new Run(process.exitValue(), output, "");
  }

  @Test
  void printsTheSameRootAnchorUntilNewKeysAreAsked() {
    Run first = dnslab("trust-anchor");
    Run again = dnslab("trust-anchor", "--format", "ds");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).containsPattern("(?m)^\\.\\s+3600\\s+IN\\s+DS\\s+\\d+ 8 2 [0-9A-F]{64}$");
    assertThat(again.out()).isEqualTo(first.out());
    assertThat(dnslab("trust-anchor", "--format", "dnskey").out()).containsPattern("(?m)^\\.\\s+3600\\s+IN\\s+DNSKEY\\s+257 3 8 ");

    Run rotated = dnslab("keys", "new");

    assertThat(rotated.exitCode()).isZero();
    assertThat(rotated.err()).contains("WARNING: the lab's trust anchor changed");
    assertThat(dnslab("trust-anchor").out()).isNotEqualTo(first.out());
  }

  @Test
  void rollsAZskThroughItsPhasesAndRefusesACombinedKey() {
    assertThat(dnslab("trust-anchor").exitCode()).isZero(); // makes the lab's keys

    Run started = dnslab("keys", "roll", "--zone", "com", "--zsk");
    Run active = dnslab("keys", "roll", "--zone", "com", "--step");
    Run done = dnslab("keys", "roll", "--zone", "com", "--step");
    Run csk = dnslab("keys", "roll", "--zone", "google.com", "--zsk");

    assertThat(started.exitCode()).as(started.err()).isZero();
    assertThat(started.out()).contains("com. ZSK rollover: published").containsPattern("serving: .* published zsk=\\d+");
    assertThat(active.out()).contains("com. ZSK rollover: active").containsPattern("serving: .* published zsk=\\d+");
    assertThat(done.out()).contains("com. ZSK rollover: done").doesNotContain(" published zsk=");
    assertThat(dnslab("keys", "roll", "--zone", "com").out()).contains("com. is not rolling its keys");
    assertThat(csk.exitCode()).isEqualTo(1);
    assertThat(csk.err()).contains("one combined signing key");
  }

  @Test
  void rendersAnAnchorUnboundAndBindAccept() throws Exception {
    Run unbound = dnslab("trust-anchor", "--format", "unbound");
    Run bind = dnslab("trust-anchor", "--format", "bind");
    Run knot = dnslab("trust-anchor", "--format", "knot");
    Run pdns = dnslab("trust-anchor", "--format", "pdns");

    Path anchorFile = state.resolve(TrustAnchorCommand.ANCHOR_FILE).toAbsolutePath();
    assertThat(unbound.out()).contains("trust-anchor-file: \"" + anchorFile + "\"");
    assertThat(knot.out()).contains("trust_anchors.add_file('" + anchorFile + "', true)");
    assertThat(pdns.out()).startsWith("clearTA('.')").contains("addTA('.', \"");
    Path unboundConf = Files.writeString(state.resolve("unbound.conf"), unbound.out().replace("server:\n",
        "server:\n    chroot: \"\"\n    username: \"\"\n    directory: \"" + state + "\"\n"));
    Run unboundCheck = tool(Tool.UNBOUND_CHECKCONF, unboundConf.toString());
    assertThat(unboundCheck.exitCode()).as(unboundCheck.out()).isZero();
    Path namedConf = Files.writeString(state.resolve("named.conf"), bind.out());
    Run namedCheck = tool(Tool.NAMED_CHECKCONF, namedConf.toString());
    assertThat(namedCheck.exitCode()).as(namedCheck.out()).isZero();
  }

  @Test
  void publishesTheAnchorAsFilesTheResolversRead() throws Exception {
    Run ds = dnslab("trust-anchor", "--format", "unbound");

    assertThat(ds.exitCode()).as(ds.err()).isZero();
    Path dsFile = state.resolve(TrustAnchorFiles.DS_FILE);
    assertThat(Files.readString(dsFile)).isEqualTo(dnslab("trust-anchor").out());
    Path bindFile = state.resolve(TrustAnchorFiles.BIND_FILE);
    assertThat(Files.readString(bindFile)).isEqualTo(dnslab("trust-anchor", "--format", "bind").out());
    assertThat(Files.readString(state.resolve(TrustAnchorFiles.POWERDNS_FILE)))
        .isEqualTo(dnslab("trust-anchor", "--format", "pdns").out());
    // What a DNSSEC Job's BIND does with it (deploy/kubernetes/overlays/bind-dnssec): include it.
    Path namedConf = Files.writeString(state.resolve("named-include.conf"),
        "options { dnssec-validation yes; };\ninclude \"" + bindFile.toAbsolutePath() + "\";\n");
    Run namedCheck = tool(Tool.NAMED_CHECKCONF, namedConf.toString());
    assertThat(namedCheck.exitCode()).as(namedCheck.out()).isZero();
    try (var files = Files.list(state)) {
      assertThat(files.map(f -> f.getFileName().toString())).as("no half-written files left")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void exportsSignedZonesThatLdnsAndBindVerify() throws Exception {
    Path dir = state.resolve("signed");

    Run export = dnslab("zones", "export", "--signed", dir.toString());

    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out().lines()).as("12 zones and the two IPv6 ones, v6only.net and v6lame.net").hasSize(14);
    assertThat(Files.readString(dir.resolve("example.org.zone"))).doesNotContain("RRSIG");
    for (String zone : List.of("root", "com", "net", "org", "co.kr", "google.com", "example.co.kr", "nhn.com", "v6only.net")) {
      Path file = dir.resolve(zone + ".zone");
      Run ldns = tool(Tool.LDNS_VERIFY_ZONE, file.toString());
      assertThat(ldns.out()).as(file + "\n" + ldns.out()).contains("Zone is verified and complete");
      String origin = zone.equals("root") ? "." : zone + ".";
      // -z: a CSK zone (google.com, nhn.com) signs everything with its one SEP-flagged key. nhn.com
      // and example.co.kr have DNAMEs: both tools check the signer left nothing below them.
      Run bind = zone.equals("google.com") || zone.equals("nhn.com")
          ? tool(Tool.DNSSEC_VERIFY, "-z", "-o", origin, file.toString())
          : tool(Tool.DNSSEC_VERIFY, "-o", origin, file.toString());
      assertThat(bind.exitCode()).as(file + "\n" + bind.out()).isZero();
    }
  }
}
