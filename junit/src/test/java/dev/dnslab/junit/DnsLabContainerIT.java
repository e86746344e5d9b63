package dev.dnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.TrustAnchorFormat;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The lab image under Testcontainers, with a client container in its network namespace. Skipped
 * (failed under -Ddnslab.requireTools=true) when no Docker engine answers or when the images have
 * not been built locally (no pulls, ever).
 */
class DnsLabContainerIT {
  static final DockerImageName CLIENT = DockerImageName.parse("dnslab/client:dev");

  @BeforeAll
  static void requireDockerAndImages() {
    Tool.DOCKER.require();
    RequiredTools.require(DockerClientFactory.instance().isDockerAvailable(), "Testcontainers finds no Docker engine");
    RequiredTools.require(imagePresent(DnsLabContainer.IMAGE), DnsLabContainer.IMAGE + " is not built (scripts/build-images.sh)");
    RequiredTools.require(imagePresent(CLIENT), CLIENT + " is not built (scripts/build-images.sh)");
  }

  @Test
  void servesAScenarioToAContainerInItsNetworkNamespace() {
    try (DnsLabContainer lab = new DnsLabContainer().withScenario(Path.of("..", "scenarios", "truncate.yaml"))) {
      lab.start();
      try (GenericContainer<?> dig = lab.shareNetworkWith(new GenericContainer<>(CLIENT))
          .withCommand("dig", "+short", "@127.53.0.13", "www.google.com")
          .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
        dig.start();
        assertThat(dig.getLogs()).contains("127.53.0.80");
      }
      assertThat(lab.getLogs()).contains("scenario truncate");
    }
  }

  @Test
  void handsOutTheAnchorOfTheKeysTheContainerSignsWith() {
    try (DnsLabContainer lab = new DnsLabContainer()) {
      lab.start();
      TrustAnchor anchor = lab.trustAnchor();
      try (GenericContainer<?> dig = lab.shareNetworkWith(new GenericContainer<>(CLIENT))
          .withCommand("dig", "+dnssec", "+norec", "@127.53.0.11", ".", "DNSKEY")
          .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
        dig.start();
        // RFC 4035 5.2: the anchor's key is in the root's DNSKEY RRset and signed it.
        assertThat(dig.getLogs()).containsPattern("RRSIG\\s+DNSKEY 8 0 \\d+ \\d+ \\d+ " + anchor.ds().get(0).getFootprint() + " \\. ");
      }
      assertThat(lab.trustAnchorConfig(TrustAnchorFormat.BIND, Path.of("/unused"))).contains("static-ds " + anchor.ds().get(0).getFootprint() + " 8 2 ");
    }
  }

  private static boolean imagePresent(DockerImageName image) {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image.asCanonicalNameString()).exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
