package dev.dnslab.core.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The zone files of the lab as shipped inside the jar (a copy of the project's {@code zones/}
 * folder). Used when no {@code zones/} folder is at hand, e.g. {@code java -jar dnslab.jar up} run
 * from anywhere.
 */
public final class BundledZones {
  private static final String RESOURCE_ROOT = "/dnslab/zones/";

  /** Every bundled file, by path under {@code zones/}. Kept in step with the folder by a test. */
  public static final List<String> FILES =
      List.of(
          "root/root.zone",
          "tld/com.zone",
          "tld/net.zone",
          "tld/org.zone",
          "tld/kr.zone",
          "tld/co.kr.zone",
          "authoritative/google.com.zone",
          "authoritative/naver.com.zone",
          "authoritative/nheos.com.zone",
          "authoritative/nhn.com.zone",
          "authoritative/example.co.kr.zone",
          "authoritative/example.org.zone",
          "authoritative/v6only.net.zone",
          "authoritative/v6lame.net.zone");

  /**
   * The DNSSEC policy beside the zone folders (dnssec.yaml, core's DnssecPolicy reads it), extracted
   * with the zones so {@code java -jar} signs as a checkout does.
   */
  public static final String DNSSEC_POLICY = "dnssec.yaml";

  private BundledZones() {}

  /**
   * The zones folder to use: {@code ./zones} when the working directory has the lab's layout,
   * otherwise a fresh copy of the bundled files in a temporary folder.
   */
  public static Path locate() {
    Path local = Path.of("zones");
    if (Files.isDirectory(local.resolve("root")) && Files.isDirectory(local.resolve("tld"))) {
      return local;
    }
    return extract();
  }

  /** Copies the bundled zone files into a new temporary folder and returns it. */
  public static Path extract() {
    try {
      Path target = Files.createTempDirectory("dnslab-zones-");
      target.toFile().deleteOnExit();
      List<String> files = new ArrayList<>(FILES);
      files.add(DNSSEC_POLICY);
      for (String file : files) {
        Path out = target.resolve(file);
        Files.createDirectories(out.getParent());
        try (InputStream in = BundledZones.class.getResourceAsStream(RESOURCE_ROOT + file)) {
          if (in == null) {
            throw new IllegalStateException("zone file missing from the jar: " + file);
          }
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        out.toFile().deleteOnExit();
        out.getParent().toFile().deleteOnExit();
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled zones", e);
    }
  }
}
