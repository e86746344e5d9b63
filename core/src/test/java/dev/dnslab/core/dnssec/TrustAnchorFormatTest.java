package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

class TrustAnchorFormatTest {
  private static final ZoneSigning.Signed ROOT_POLICY =
      new ZoneSigning.Signed(DnssecAlgorithm.RSASHA256, KeyStyle.KSK_ZSK, new Denial.Nsec());

  @TempDir static Path keyDir;
  @TempDir Path dir;
  static KeyDirectory keys;
  static TrustAnchor anchor;
  static String dsRdata;

  @BeforeAll
  static void makeRootKeys() {
    keys = new KeyDirectory(keyDir);
    anchor = TrustAnchor.of(keys.loadOrCreate(Name.root, ROOT_POLICY));
    dsRdata = TrustAnchor.dsRdata(anchor.ds().get(0));
  }

  @Test
  void anchorsOnTheRootsKeySigningKeyOnly() {
    ZoneKeys root = keys.load(Name.root).orElseThrow();

    assertThat(anchor.ds()).hasSize(1);
    assertThat(anchor.ds().get(0).getFootprint()).isEqualTo(root.keySigningKeys().get(0).tag());
    assertThat(anchor.dnskeys()).containsExactly(root.keySigningKeys().get(0).dnskey());
  }

  @Test
  void bindComputesTheSameDsFromTheRootsKeyFile() throws Exception {
    InstalledTool.Result result = InstalledTool.run(InstalledTool.DNSSEC_DSFROMKEY, "-2", "-f", keyDir.resolve("root/ksk.key").toString(), ".");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output().strip()).isEqualTo(". IN DS " + dsRdata);
  }

  @Test
  void ldnsComputesTheSameDsFromTheRootsKeyFile() throws Exception {
    Files.copy(keyDir.resolve("root/ksk.key"), dir.resolve("root.key"));

    InstalledTool.Result result = InstalledTool.run(InstalledTool.LDNS_KEY2DS, "-n", "-2", dir.resolve("root.key").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    String[] fields = result.output().strip().split("\\s+"); // ".  3600  IN  DS  tag alg 2 hex"
    assertThat(String.join(" ", Arrays.copyOfRange(fields, fields.length - 4, fields.length)))
        .isEqualToIgnoringCase(dsRdata);
  }

  @Test
  void unboundReadsTheAnchorFile() throws Exception {
    Path anchorFile = dir.resolve("lab-root.key");
    Files.writeString(anchorFile, anchor.anchorFileText());
    Path config = dir.resolve("unbound.conf");
    Files.writeString(config, TrustAnchorFormat.UNBOUND.render(anchor, anchorFile)
        + "    chroot: \"\"\n    username: \"\"\n    directory: \"" + dir + "\"\n");

    InstalledTool.Result result = InstalledTool.run(Tool.UNBOUND_CHECKCONF, config.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(anchor.anchorFileText()).contains(".\t\t\t3600\tIN\tDS\t" + dsRdata);
  }

  @Test
  void bindReadsTheTrustAnchorsClause() throws Exception {
    Path config = dir.resolve("named.conf");
    String clause = TrustAnchorFormat.BIND.render(anchor, null);
    Files.writeString(config, "options { directory \"" + dir + "\"; };\n" + clause);

    InstalledTool.Result result = InstalledTool.run(InstalledTool.NAMED_CHECKCONF, config.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    String[] ds = dsRdata.split(" ");
    assertThat(clause).isEqualTo("trust-anchors {\n    \".\" static-ds " + ds[0] + " " + ds[1] + " " + ds[2]
        + " \"" + ds[3] + "\";\n};\n");
  }

  @Test
  void knotResolverReplacesTheBuiltInRootAnchorWithTheFile() {
    String config = TrustAnchorFormat.KNOT_RESOLVER.render(anchor, Path.of("/etc/knot-resolver/lab-root.key"));

    assertThat(config).isEqualTo("trust_anchors.remove('.')\n"
        + "trust_anchors.add_file('/etc/knot-resolver/lab-root.key', true)\n");
  }

  @Test
  void powerDnsRecursorReplacesTheBuiltInRootAnchor() {
    String lua = TrustAnchorFormat.POWERDNS_RECURSOR.render(anchor, null);

    assertThat(lua).isEqualTo("clearTA('.')\naddTA('.', \"" + dsRdata + "\")\n");
  }
}
