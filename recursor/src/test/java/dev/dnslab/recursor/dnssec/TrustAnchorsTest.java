package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.TrustAnchorFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** Trust anchors read from every form {@code dnslab trust-anchor} prints. */
class TrustAnchorsTest {
  @TempDir Path dir;
  private static TrustAnchor anchor;

  @BeforeAll
  static void labAnchor() throws Exception {
    anchor = TrustAnchor.of(SignedLabAuthorities.shared().keyDirectory().load(Name.root).orElseThrow());
  }

  @Test
  void readsTheDsAnchorFile() throws Exception {
    Path file = Files.writeString(dir.resolve("trust-anchor.ds"), anchor.anchorFileText());

    TrustAnchors anchors = TrustAnchors.read(file);

    assertThat(anchors.zones()).containsExactly(Name.root);
    assertThat(anchors.ds(Name.root)).isEqualTo(anchor.ds());
  }

  @Test
  void readsDnskeyRecordsAsTheirSha256Ds() throws Exception {
    String dnskeys = anchor.dnskeys().stream().map(Object::toString).collect(Collectors.joining("\n", "", "\n"));
    Path file = Files.writeString(dir.resolve("root.dnskey"), dnskeys);

    TrustAnchors anchors = TrustAnchors.read(file);

    assertThat(anchors.ds(Name.root)).isEqualTo(anchor.ds());
  }

  @Test
  void followsAnUnboundTrustAnchorFileClause() throws Exception {
    Path anchorFile = Files.writeString(dir.resolve("trust-anchor.ds"), anchor.anchorFileText());
    Path config = Files.writeString(dir.resolve("anchor.conf"), TrustAnchorFormat.UNBOUND.render(anchor, anchorFile));

    TrustAnchors anchors = TrustAnchors.read(config);

    assertThat(anchors.ds(Name.root)).isEqualTo(anchor.ds());
  }

  @Test
  void findsTheClosestAnchorAboveAName() {
    TrustAnchors anchors = TrustAnchors.of(anchor);

    assertThat(anchors.closestAnchor(Name.fromConstantString("www.google.com."))).contains(Name.root);
  }

  @Test
  void refusesAFileWithoutAnchors() throws Exception {
    Path file = Files.writeString(dir.resolve("empty.ds"), "; nothing here\n");

    assertThatThrownBy(() -> TrustAnchors.read(file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.ds: no DS or DNSKEY record");
  }
}
