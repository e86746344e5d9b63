package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command docker/Dockerfile's jar stage runs on a user's machine (docker/build-jar.sh build:
 * the Maven wrapper building the fat jar) cannot run in a container here, which has no Internet.
 * So it runs on the host, offline against the local Maven repository, in a fresh copy of the
 * tracked files: what a clone gives the image build. The same script, the same Maven command.
 */
class BuildJarScriptIT {
  @Test
  void buildsTheFatJarFromACleanCopyOfTheSources(@TempDir Path copy) throws IOException {
    Path root = DockerEngine.projectRoot();
    CommandResult files = Commands.run(root, Map.of(), Duration.ofSeconds(30), List.of("git", "ls-files", "-z"));
    assumeTrue(files.succeeded(), "not a git checkout: " + files.output().strip());
    for (String file : files.output().split("\0")) {
      Path source = root.resolve(file);
      if (file.isBlank() || !Files.isRegularFile(source)) {
        continue; // deleted in the work tree but still tracked
      }
      Path target = copy.resolve(file);
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path out = copy.resolve("out/dnslab.jar");

    CommandResult build =
        Commands.run(
            copy,
            Map.of("MAVEN_ARGS", "-o -q"),
            Duration.ofMinutes(10),
            List.of("sh", "docker/build-jar.sh", "build", out.toString()));

    assertThat(build.orFail().output()).contains("build-jar: build -> " + out);
    try (JarFile jar = new JarFile(out.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).startsWith("dev.dnslab.");
      assertThat(jar.getEntry("dev/dnslab/root/RootNameServer.class")).isNotNull();
      assertThat(jar.getEntry("dev/dnslab/core/probe/DnsSelfCheck.class")).isNotNull();
    }
  }
}
