package dev.dnslab.core.scenario;

import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.zone.ZoneFileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a scenario's zones folder: the lab's {@code root/}, {@code tld/} and {@code
 * authoritative/} zone files, then each scenario zone file copied into its server's folder. A file
 * named like a lab zone ({@code com.zone}) replaces it; any other adds a zone.
 */
final class ScenarioZones {
  private ScenarioZones() {}

  static Path overlay(Path base, Map<LabRole, List<Path>> zoneFiles, String scenario) throws IOException {
    Path target = Files.createTempDirectory("dnslab-scenario-" + scenario.replaceAll("[^A-Za-z0-9-]", "_") + "-");
    target.toFile().deleteOnExit();
    // The lab's DNSSEC policy comes along, so a scenario's lab signs as the plain lab does (and
    // keys already made for it keep matching the policy).
    Path policy = base.resolve(DnssecPolicy.FILE_NAME);
    if (Files.isRegularFile(policy)) {
      copy(policy, target);
    }
    for (LabRole role : LabRole.values()) {
      if (role.zoneDirectory() == null) {
        continue;
      }
      Path from = base.resolve(role.zoneDirectory());
      Path to = target.resolve(role.zoneDirectory());
      Files.createDirectories(to);
      to.toFile().deleteOnExit();
      if (Files.isDirectory(from)) {
        try (Stream<Path> files = Files.list(from)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            if (file.getFileName().toString().endsWith(ZoneFileLoader.ZONE_FILE_SUFFIX)) {
              copy(file, to);
            }
          }
        }
      }
      for (Path file : zoneFiles.getOrDefault(role, List.of())) {
        copy(file, to);
      }
    }
    return target;
  }

  private static void copy(Path file, Path folder) throws IOException {
    Path out = folder.resolve(file.getFileName().toString());
    Files.copy(file, out, StandardCopyOption.REPLACE_EXISTING);
    out.toFile().deleteOnExit();
  }
}
