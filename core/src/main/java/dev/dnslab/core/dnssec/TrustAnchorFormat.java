package dev.dnslab.core.dnssec;

import java.nio.file.Path;

/**
 * The lab's trust anchor in the form each validating resolver of the matrix reads, the one list of
 * them. Formats that read an anchor file ({@link TrustAnchor#anchorFileText()}) are given its path.
 *
 * <pre>{@code
 * TrustAnchor anchor = TrustAnchor.of(keyDirectory.load(Name.root).orElseThrow());
 * Files.writeString(dir.resolve("lab-root.key"), anchor.anchorFileText());
 * String unbound = TrustAnchorFormat.UNBOUND.render(anchor, dir.resolve("lab-root.key"));
 * }</pre>
 */
public enum TrustAnchorFormat {
  /** unbound.conf(5) {@code trust-anchor-file}: a static anchor, no RFC 5011 tracking. */
  UNBOUND("unbound") {
    @Override
    public String render(TrustAnchor anchor, Path anchorFile) {
      return "server:\n    trust-anchor-file: \"" + anchorFile + "\"\n";
    }
  },
  /**
   * BIND 9.18 named.conf {@code trust-anchors} with {@code static-ds}: replaces the built-in root
   * key for this zone, never rolled automatically.
   */
  BIND("bind") {
    @Override
    public String render(TrustAnchor anchor, Path anchorFile) {
      StringBuilder text = new StringBuilder("trust-anchors {\n");
      for (var ds : anchor.ds()) {
        // "12345 8 2 HEX" becomes 12345 8 2 "HEX": BIND wants the digest quoted.
        String[] rdata = TrustAnchor.dsRdata(ds).split(" ");
        text.append("    \"").append(anchor.zone()).append("\" static-ds ").append(rdata[0]).append(' ')
            .append(rdata[1]).append(' ').append(rdata[2]).append(" \"").append(rdata[3]).append("\";\n");
      }
      return text.append("};\n").toString();
    }
  },
  /**
   * Knot Resolver 5 (kresd.conf, Lua): drop the built-in root anchor, then read the anchor file
   * read-only, so kresd does not try RFC 5011 updates on it.
   */
  KNOT_RESOLVER("knot-resolver") {
    @Override
    public String render(TrustAnchor anchor, Path anchorFile) {
      return "trust_anchors.remove('" + anchor.zone() + "')\n"
          + "trust_anchors.add_file('" + anchorFile + "', true)\n";
    }
  },
  /**
   * PowerDNS Recursor 4.8 {@code lua-config-file}: {@code clearTA} drops the built-in root
   * anchor, {@code addTA} adds each DS.
   */
  POWERDNS_RECURSOR("powerdns-recursor") {
    @Override
    public String render(TrustAnchor anchor, Path anchorFile) {
      StringBuilder text = new StringBuilder("clearTA('" + anchor.zone() + "')\n");
      for (var ds : anchor.ds()) {
        text.append("addTA('").append(anchor.zone()).append("', \"").append(TrustAnchor.dsRdata(ds)).append("\")\n");
      }
      return text.toString();
    }
  };

  private final String cliName;

  TrustAnchorFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name a command line uses for this format. */
  public String cliName() {
    return cliName;
  }

  /** The configuration text; {@code anchorFile} is where {@link TrustAnchor#anchorFileText()} was written. */
  public abstract String render(TrustAnchor anchor, Path anchorFile);
}
