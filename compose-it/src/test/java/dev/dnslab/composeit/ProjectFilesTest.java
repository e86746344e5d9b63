package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a clean clone needs to stand on its own, checked on the tracked files themselves. */
class ProjectFilesTest {
  /** The shared folder of our own machines, next to the checkout; only CI's script may use it. */
  private static final String SHARED_FOLDER = ".." + "/shared";

  private final Path root = DockerEngine.projectRoot();

  @Test
  void noTrackedFileOutsideCiMentionsTheSharedFolder() throws IOException {
    CommandResult files =
        Commands.run(root, Map.of(), Duration.ofSeconds(30), List.of("git", "ls-files", "-z", "--", ".", ":!.ci/"));
    assumeTrue(files.succeeded(), "not a git checkout: " + files.output().strip());
    List<String> mentions = new ArrayList<>();
    for (String file : files.output().split("\0")) {
      Path path = root.resolve(file.strip());
      if (file.isBlank() || !Files.isRegularFile(path)) {
        continue;
      }
      String text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
      if (text.contains(SHARED_FOLDER)) {
        mentions.add(file.strip());
      }
    }

    assertThat(files.output()).contains("docker-compose.yml");
    assertThat(mentions).as("tracked files mentioning " + SHARED_FOLDER).isEmpty();
  }

  @Test
  void composeBuildDefaultsAreTheDockerfilesDefaults() throws IOException {
    String compose = Files.readString(root.resolve("docker-compose.yml"));
    String roles = Files.readString(root.resolve("docker/Dockerfile"));
    String client = Files.readString(root.resolve("docker/client.Dockerfile"));

    // A plain `docker build` and `docker compose up` must start from the same public images.
    assertThat(composeDefault(compose, "BUILD_BASE", "DNSLAB_BUILD_BASE")).isEqualTo(argDefault(roles, "BUILD_BASE"));
    assertThat(composeDefault(compose, "RUNTIME_BASE", "DNSLAB_RUNTIME_BASE")).isEqualTo(argDefault(roles, "RUNTIME_BASE"));
    assertThat(composeDefault(compose, "JAR", "DNSLAB_JAR")).isEqualTo(argDefault(roles, "JAR"));
    assertThat(composeDefault(compose, "BASE", "DNSLAB_CLIENT_BASE")).isEqualTo(argDefault(client, "BASE"));
  }

  /** {@code ARG NAME=default} in a Dockerfile. */
  private static String argDefault(String dockerfile, String name) {
    Matcher arg = Pattern.compile("(?m)^ARG " + name + "=(\\S+)$").matcher(dockerfile);
    assertThat(arg.find()).as("ARG %s=... in the Dockerfile", name).isTrue();
    return arg.group(1);
  }

  /** {@code NAME: "${VARIABLE:-default}"} in the compose file's build args. */
  private static String composeDefault(String compose, String name, String variable) {
    Matcher arg = Pattern.compile("(?m)^\\s+" + name + ": \"\\$\\{" + variable + ":-([^}]+)}\"$").matcher(compose);
    assertThat(arg.find()).as("%s: \"${%s:-...}\" in docker-compose.yml", name, variable).isTrue();
    return arg.group(1);
  }
}
