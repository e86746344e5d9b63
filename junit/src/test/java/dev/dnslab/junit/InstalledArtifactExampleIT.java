package dev.dnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The outside-user example ({@code junit/example}) builds and passes against dnslab-junit as
 * {@code mvn install} publishes it, and against nothing else of this source tree: what a user who has
 * only the released artifact gets. A copy of the sources is installed into a private local repository
 * under target/ (so this build's own target/ folders and the machine's ~/.m2 stay untouched), and
 * then the example, copied out on its own, is built offline against that repository. The machine's
 * repository serves as a read-only tail ({@code maven.repo.local.tail}, Maven 3.9) for third-party
 * artifacts, the ones a user downloads from Maven Central.
 */
class InstalledArtifactExampleIT {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target", "installed-artifact-example").toAbsolutePath();
  private static final Set<String> NOT_SOURCES = Set.of("target", ".git", "node_modules");
  private static final long BUILD_TIMEOUT_MINUTES = 15;

  @Test
  void exampleBuildsAgainstTheInstalledArtifactOffline() throws Exception {
    String version = System.getProperty("dnslab.version", "0.1.0-SNAPSHOT");
    Path machineRepository = Path.of(System.getProperty("dnslab.localRepository",
        Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
    deleteTree(WORK);
    Path sources = copyTree(PROJECT, WORK.resolve("dnslab"));
    Path repository = WORK.resolve("repository");
    List<String> offline = List.of("-B", "-q", "-o", "-Dmaven.repo.local=" + repository,
        "-Dmaven.repo.local.tail=" + machineRepository);

    maven(sources, sources, offline, "install", "-DskipTests", "-pl", "junit", "-am");

    Path installed = repository.resolve("dev/dnslab/dnslab-junit/" + version);
    assertThat(installed.resolve("dnslab-junit-" + version + ".jar")).isRegularFile();
    assertThat(installed.resolve("dnslab-junit-" + version + "-sources.jar")).isRegularFile();
    assertThat(installed.resolve("dnslab-junit-" + version + "-javadoc.jar")).isRegularFile();
    String parent = Files.readString(repository.resolve("dev/dnslab/dnslab-parent/" + version + "/dnslab-parent-" + version + ".pom"));
    assertThat(parent).contains("<licenses>", "Apache License, Version 2.0", "<developers>", "<scm", "<url>");

    Path example = copyTree(sources.resolve("junit/example"), WORK.resolve("example"));
    maven(sources, example, offline, "test", "-Ddnslab.version=" + version);

    String report = Files.readString(example.resolve("target/surefire-reports/TEST-example.ResolverUnderTestExampleTest.xml"));
    assertThat(report).contains("tests=\"2\"", "failures=\"0\"", "errors=\"0\"", "skipped=\"0\"");
    assertThat(report).as("dnslab-junit came from the installed artifact")
        .contains(installed.resolve("dnslab-junit-" + version + ".jar").toString())
        .doesNotContain(machineRepository.resolve("dev/dnslab").toString());
  }

  /** Runs the project's Maven wrapper in {@code dir}; its output goes to a log named after the goal. */
  private static void maven(Path sources, Path dir, List<String> options, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", sources.resolve("mvnw").toString()));
    command.addAll(options);
    command.addAll(List.of(arguments));
    Path log = WORK.resolve(dir.getFileName() + "-" + arguments[0] + ".log");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("timed out after " + BUILD_TIMEOUT_MINUTES + " min: " + command + "; see " + log);
    }
    assertThat(process.exitValue()).as("%s failed:%n%s", command, tail(log)).isZero();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Copies the sources under {@code from} (no build output, no .git) to {@code to}. */
  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path relative = from.relativize(path);
        boolean skipped = false;
        for (Path part : relative) {
          skipped |= NOT_SOURCES.contains(part.toString());
        }
        if (skipped) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }
}
