package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.RequiredTools;
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

  /** The images that answer from memory without TLS and start with jvm-authority.options. */
  private static final List<String> AUTHORITY_STAGES = List.of("root-ns", "tld-ns", "authoritative-ns");

  private final Path root = DockerEngine.projectRoot();

  @Test
  void noTrackedFileOutsideCiMentionsTheSharedFolder() throws IOException {
    CommandResult files =
        Commands.run(root, Map.of(), Duration.ofSeconds(30), List.of("git", "ls-files", "-z", "--", ".", ":!.ci/"));
    RequiredTools.require(files.succeeded(), "a git checkout with git on PATH (git ls-files: " + files.output().strip() + ")");
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

  @Test
  void authorityRecursorAndWebImagesReadTheirOwnOptionsAfterJvmOptions() throws IOException {
    String dockerfile = Files.readString(root.resolve("docker/Dockerfile"));
    String dockerignore = Files.readString(root.resolve(".dockerignore"));
    String benchLib = Files.readString(root.resolve("bench/lib.sh"));

    // Options given later win, so the order is the contract: jvm.options, the role's, the user's.
    for (String stage : AUTHORITY_STAGES) {
      String entrypoint = entrypoint(dockerfile, stage);
      assertThat(entrypoint).as(stage)
          .contains("exec java @/opt/dnslab/jvm.options @/opt/dnslab/jvm-authority.options $JAVA_OPTS_DNSLAB ");
      // The benches start that role as its image does (bench/lib.sh's role_options).
      Matcher main = Pattern.compile("dev\\.dnslab\\.\\w+\\.(\\w+)").matcher(entrypoint);
      assertThat(main.find()).as("main class of %s", stage).isTrue();
      assertThat(benchLib).as("bench/lib.sh role_options for %s", stage).contains("*." + main.group(1));
    }
    assertThat(entrypoint(dockerfile, "recursor")).as("recursor")
        .contains("exec java @/opt/dnslab/jvm.options @/opt/dnslab/jvm-recursor.options $JAVA_OPTS_DNSLAB ")
        .doesNotContain("jvm-authority.options");
    assertThat(benchLib).as("bench/lib.sh role_options for the recursor").contains("*.RecursorMain) echo \"@$BENCH_ROOT/jvm-recursor.options\"");
    assertThat(entrypoint(dockerfile, "web-server")).as("web-server")
        .contains("exec java @/opt/dnslab/jvm.options @/opt/dnslab/jvm-web.options $JAVA_OPTS_DNSLAB ")
        .doesNotContain("jvm-authority.options");
    assertThat(benchLib).as("bench/lib.sh role_options for the web server").contains("*.WebServerMain) echo \"@$BENCH_ROOT/jvm-web.options\"");
    for (String stage : List.of("router", "lab")) {
      assertThat(entrypoint(dockerfile, stage)).as(stage)
          .contains("exec java @/opt/dnslab/jvm.options $JAVA_OPTS_DNSLAB ")
          .doesNotContain("jvm-authority.options");
    }
    assertThat(dockerfile).contains("COPY jvm-authority.options /opt/dnslab/jvm-authority.options");
    assertThat(dockerfile).contains("COPY jvm-recursor.options /opt/dnslab/jvm-recursor.options");
    assertThat(dockerfile).contains("COPY jvm-web.options /opt/dnslab/jvm-web.options");
    assertThat(dockerignore.lines()).contains("!jvm-authority.options", "!jvm-recursor.options", "!jvm-web.options");
    assertThat(root.resolve("jvm-authority.options")).isRegularFile();
    assertThat(root.resolve("jvm-recursor.options")).isRegularFile();
    assertThat(root.resolve("jvm-web.options")).isRegularFile();
  }

  @Test
  void everyRoleImageMapsAnArchiveOfItsOwnClasses() throws IOException {
    String dockerfile = Files.readString(root.resolve("docker/Dockerfile"));

    // A JVM's resident memory grows with the whole archive it maps: the lab's archive made an idle
    // router 70 MiB against 62 with its own (docker/train-cds.sh).
    for (String stage : List.of("root-ns", "tld-ns", "authoritative-ns", "recursor", "web-server", "router")) {
      String body = stage(dockerfile, stage).replace("\\\n", " ");
      Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT .*(dev\\.dnslab\\.\\w+\\.\\w+)").matcher(body);
      assertThat(entrypoint.find()).as("main class of %s", stage).isTrue();
      assertThat(body).as(stage)
          .containsPattern("(?m)^RUN .*sh /opt/dnslab/train-cds +/opt/dnslab/dnslab\\.jar +/opt/dnslab/"
              + Pattern.quote(stage) + "\\.jsa +/opt/dnslab/jvm\\.options +" + Pattern.quote(entrypoint.group(1)) + " ");
    }
  }

  /** The ENTRYPOINT of a Dockerfile's {@code FROM ... AS stage}, before the next FROM. */
  private static String entrypoint(String dockerfile, String stage) {
    Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT (.+)$").matcher(stage(dockerfile, stage));
    assertThat(entrypoint.find()).as("ENTRYPOINT of stage %s", stage).isTrue();
    return entrypoint.group(1);
  }

  /** A Dockerfile's {@code FROM ... AS stage} body, up to the next FROM. */
  private static String stage(String dockerfile, String stage) {
    Matcher from = Pattern.compile("(?m)^FROM \\S+ AS " + Pattern.quote(stage) + "$").matcher(dockerfile);
    assertThat(from.find()).as("FROM ... AS %s in the Dockerfile", stage).isTrue();
    int next = dockerfile.indexOf("\nFROM ", from.end());
    return dockerfile.substring(from.end(), next < 0 ? dockerfile.length() : next);
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
