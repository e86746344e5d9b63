package dev.dnslab.composeit;

import dev.dnslab.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Docker engine these tests drive, and where the project's compose file lives. */
final class DockerEngine {
  private DockerEngine() {}

  /**
   * Skips the calling test class when no Docker engine answers, so a machine without Docker still
   * builds green (under -Ddnslab.requireTools=true, as in CI, it fails instead). Anything else
   * missing (compose, base images) is a failure, not a skip: CI has them.
   */
  static void requireAvailable() {
    Tool.DOCKER.require();
  }

  /** The project root: the folder holding docker-compose.yml (failsafe passes it; else ..). */
  static Path projectRoot() {
    Path root = Path.of(System.getProperty("dnslab.projectRoot", "..")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
      throw new IllegalStateException("no docker-compose.yml in " + root + " (set -Ddnslab.projectRoot)");
    }
    return root;
  }

  /** {@code docker compose} (v2) where it exists, else {@code docker-compose} (v1). */
  static List<String> composeCommand() {
    if (Commands.available(List.of("docker", "compose", "version"))) {
      return List.of("docker", "compose");
    }
    if (Commands.available(List.of("docker-compose", "version"))) {
      return List.of("docker-compose");
    }
    throw new IllegalStateException("neither `docker compose` (v2) nor `docker-compose` (v1) runs");
  }

  /** Runs scripts/build-images.sh: base images if missing, then `compose build` of every service. */
  static void buildImages(Path root) {
    Commands.run(root, Map.of(), Duration.ofMinutes(15), List.of("bash", "scripts/build-images.sh")).orFail();
  }

  /**
   * The build arguments of docker-compose.yml for this machine (DNSLAB_BUILD_BASE, ...: local bases
   * and the prebuilt jar, since nothing can be pulled here), from scripts/build-images.sh, which
   * makes those bases first if they are missing. A user with a registry sets none of them.
   */
  static Map<String, String> localBuildEnvironment(Path root) {
    Commands.run(root, Map.of(), Duration.ofMinutes(10), List.of("bash", "scripts/build-images.sh", "--bases-only")).orFail();
    String printed =
        Commands.run(root, Map.of(), Duration.ofSeconds(30), List.of("bash", "scripts/build-images.sh", "--print-env"))
            .orFail()
            .output();
    Map<String, String> environment = new LinkedHashMap<>();
    printed.lines()
        .filter(line -> line.startsWith("DNSLAB_") && line.contains("="))
        .forEach(line -> environment.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
    return environment;
  }

  /** Ids of every container, running or not, that belongs to compose project {@code project}. */
  static List<String> containersOf(String project) {
    String out =
        Commands.run(
                Path.of("."),
                Map.of(),
                Duration.ofSeconds(30),
                List.of("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project))
            .orFail()
            .output();
    return out.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  /** Ids of every network that belongs to compose project {@code project}. */
  static List<String> networksOf(String project) {
    String out =
        Commands.run(
                Path.of("."),
                Map.of(),
                Duration.ofSeconds(30),
                List.of("docker", "network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project))
            .orFail()
            .output();
    return out.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }
}
