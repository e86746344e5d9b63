package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.RequiredTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive every role image makes at build time (docker/train-cds.sh), made on the
 * host from the fat jar for one role, as the authoritative-ns stage makes it: one static archive
 * that the role's JVM maps instead of the JDK's, holding the JDK's classes and the jar's, picocli's
 * too (class files of Java 5, which JDK 17's dynamic archive leaves to be parsed into metaspace).
 */
class TrainCdsScriptIT {
  private static final String AUTHORITATIVE = "dev.dnslab.authoritative.AuthoritativeNameServer";

  @Test
  void roleMapsOneArchiveHoldingTheJdksClassesAndTheJarsOldClassFiles(@TempDir Path work) throws IOException {
    Path root = DockerEngine.projectRoot();
    Path jar = root.resolve("cli/target/dnslab.jar");
    RequiredTools.require(Files.isRegularFile(jar), "the fat jar " + jar + " (./mvnw package)");
    Path options = work.resolve("jvm.options");
    Files.copy(root.resolve("jvm.options"), options);
    Path archive = work.resolve("authoritative-ns.jsa");
    // Free loopback ports, so a lab a developer runs on the defaults does not answer the training.
    HostPorts ports = HostPorts.free();
    String adminPort = Integer.toString(ports.http());

    CommandResult training =
        Commands.run(
            root,
            Map.of("HEALTH", root.resolve("docker/health.sh").toString(),
                "READY", "--url http://127.0.0.1:" + adminPort + "/health"),
            Duration.ofMinutes(3),
            List.of("sh", "docker/train-cds.sh", jar.toString(), archive.toString(), options.toString(), AUTHORITATIVE,
                "--address", "127.0.0.1", "--port", Integer.toString(ports.dns()), "--admin-port", adminPort,
                "--zones", root.resolve("zones/authoritative").toString()));

    assertThat(training.orFail().output()).contains("train-cds: " + archive);
    assertThat(Files.readAllLines(options)).endsWith("-XX:SharedArchiveFile=" + archive);
    // -Xshare:on: a JVM that cannot map the archive refuses to start instead of running without it.
    CommandResult start =
        Commands.run(
            work,
            Map.of(),
            Duration.ofMinutes(1),
            List.of("java", "@" + options, "-Xshare:on", "-Xlog:class+load=info", "-cp", jar.toString(), AUTHORITATIVE,
                "--help"));
    String classes = start.orFail().output();
    // A class of a dynamic archive on top of the JDK's would say "shared objects file (top)".
    assertThat(classes)
        .containsPattern("(?m) java\\.lang\\.Object source: shared objects file$")
        .containsPattern("(?m) " + AUTHORITATIVE.replace(".", "\\.") + " source: shared objects file$")
        .containsPattern("(?m) picocli\\.CommandLine source: shared objects file$");
  }
}
