package dev.dnslab.junit;

import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioException;
import dev.dnslab.core.scenario.ScenarioReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The scenarios shipped in this jar (a copy of the project's {@code scenarios/} folder), found by
 * name, and scenario files found by path.
 */
public final class ScenarioLibrary {
  private static final String RESOURCE_ROOT = "/dnslab/scenarios/";

  /**
   * The shipped DNSSEC scenarios: their checks hold a validating resolver that trusts the lab's
   * anchor ({@link Lab#trustAnchorConfig}), and their {@code ad:} lines say where AD must be set.
   */
  public static final List<String> DNSSEC_NAMES = List.of(
      "dnssec-signed", "dnssec-expired", "dnssec-not-yet-valid", "dnssec-bad-signature", "dnssec-no-rrsig",
      "dnssec-ds-mismatch", "dnssec-no-dnskey", "dnssec-unsupported-algorithm", "dnssec-nsec3-iterations",
      "dnssec-nsec-not-covering", "dnssec-wildcard-no-proof", "dnssec-keytrap");

  /** The shipped scenarios, by name (the DNSSEC ones last); a test checks the list against the folder. */
  public static final List<String> NAMES = Stream.concat(Stream.of(
      "delay", "drop", "truncate", "servfail", "refused", "ttl-zero", "out-of-bailiwick", "wrong-id",
      "wrong-question", "oversized", "tcp-only", "udp-blackhole", "lame-delegation", "wrong-glue",
      "cname-loop", "cname-chain", "extra-answer-rrsets", "cname-target-data", "nodata-without-soa", "qmin-refused",
      "qmin-servfail", "qmin-silent", "qmin-nxdomain", "qmin-other-data", "ns-cycle", "ns-cycle-way-out", "dname",
      "dname-forged-cname", "rate-limit", "nxns-delegation", "serve-stale"),
      DNSSEC_NAMES.stream()).toList();

  private ScenarioLibrary() {}

  /**
   * Reads {@code scenario}: a shipped scenario's name (no {@code /}, no {@code .yaml}) or the path of
   * a scenario file.
   */
  public static Scenario load(String scenario) throws ScenarioException {
    if (!scenario.contains("/") && !scenario.endsWith(".yaml") && !scenario.endsWith(".yml")) {
      return ScenarioReader.read(extract(scenario));
    }
    return ScenarioReader.read(Path.of(scenario));
  }

  /**
   * Copies a shipped scenario and the zone files it names into a new temporary folder and returns
   * the scenario file's path there.
   */
  static Path extract(String name) throws ScenarioException {
    Path placeholder = Path.of(name + ".yaml");
    try {
      byte[] yaml = resource(name + ".yaml");
      if (yaml == null) {
        throw new ScenarioException(placeholder, 0,
            "no shipped scenario named '" + name + "' (expected one of " + NAMES + ", or a file path)");
      }
      Path folder = Files.createTempDirectory("dnslab-scenario-");
      folder.toFile().deleteOnExit();
      Path file = write(folder, name + ".yaml", yaml);
      for (String zone : zoneFiles(yaml)) {
        byte[] text = resource(zone);
        if (text != null) {
          write(folder, zone, text);
        }
      }
      return file;
    } catch (IOException e) {
      throw new ScenarioException(placeholder, 0, "cannot extract the shipped scenario: " + e, e);
    }
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = ScenarioLibrary.class.getResourceAsStream(RESOURCE_ROOT + path)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static Path write(Path folder, String relative, byte[] bytes) throws IOException {
    Path out = folder.resolve(relative).normalize();
    if (!out.startsWith(folder)) {
      throw new IOException("zone file outside the scenario folder: " + relative);
    }
    Files.createDirectories(out.getParent());
    Files.write(out, bytes);
    out.toFile().deleteOnExit();
    out.getParent().toFile().deleteOnExit();
    return out;
  }

  /** The zone files a scenario names under {@code zones:}; the reader checks the rest. */
  private static List<String> zoneFiles(byte[] yaml) {
    List<String> files = new ArrayList<>();
    Object document = new Yaml(new LoaderOptions()).load(new String(yaml, java.nio.charset.StandardCharsets.UTF_8));
    if (document instanceof Map<?, ?> top && top.get("zones") instanceof Map<?, ?> zones) {
      for (Object value : zones.values()) {
        if (value instanceof List<?> list) {
          list.forEach(item -> files.add(String.valueOf(item)));
        } else if (value != null) {
          files.add(String.valueOf(value));
        }
      }
    }
    return files;
  }
}
