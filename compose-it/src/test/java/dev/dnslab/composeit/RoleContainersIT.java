package dev.dnslab.composeit;

import static dev.dnslab.composeit.ComposeLabIT.addresses;
import static dev.dnslab.composeit.ComposeLabIT.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Network.Ipam;
import com.github.dockerjava.api.model.Volume;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.MetricsScrape;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.UnboundDaemon;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Single role containers driven by Testcontainers: the three authorities and a recursor (local images from scripts/build-images.sh, Ryuk
 * off, no compose module), on a network of their own with another /24 than compose's: the same
 * images and zone sources give a lab wherever {@code --lab-network} puts it. As in compose, they
 * share one state volume, so every parent publishes the DS of the keys its child signs with and
 * the chain of trust validates from the root's anchor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleContainersIT {
  /** Not compose's 172.28.53.0/24, so this test and a running compose lab do not collide. */
  private static final String SUBNET = "172.28.54.0/24";

  /** The lab's state folder in every role image (DNSLAB_STATE_DIR). */
  private static final String STATE_DIR = "/var/lib/dnslab";

  /** One named volume per run, as compose's lab-state: the lab's DNSSEC keys (and CA) live in it. */
  private final String stateVolume = "dnslab-role-containers-state-" + UUID.randomUUID();
  private Network network;
  private GenericContainer<?> root;
  private GenericContainer<?> tld;
  private GenericContainer<?> authoritative;
  private GenericContainer<?> recursor;

  @BeforeAll
  void startTheRoles() {
    DockerEngine.requireAvailable();
    RequiredTools.require(DockerClientFactory.instance().isDockerAvailable(), "Testcontainers finds no Docker engine");
    DockerEngine.buildImages(DockerEngine.projectRoot());
    network =
        Network.builder()
            .createNetworkCmdModifier(
                cmd -> cmd.withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(SUBNET))))
            .build();
    root = authority("root-ns", 11, "root");
    tld = authority("tld-ns", 12, "tld");
    authoritative = authority("authoritative-ns", 13, "authoritative");
    // No --root-hints: the recursor's default is the lab root at .11 of --lab-network. Clients: the
    // lab network, loopback (the health check) and this test, whose queries to a mapped port arrive
    // from the Docker host address.
    String testHost = DockerClientFactory.instance().dockerHostIpAddress();
    recursor =
        new GenericContainer<>("dnslab/recursor:dev")
            .withNetwork(network)
            .withNetworkAliases("recursor")
            .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address("172.28.54.53"))
            .withCommand("--address", "0.0.0.0", "--lab-network", SUBNET, "--allow-upstream", SUBNET,
                "--allow-client", SUBNET, "--allow-client", "127.0.0.0/8", "--allow-client", testHost + "/32",
                "--state-dir", STATE_DIR)
            .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(sharedState()))
            .withExposedPorts(53, 9153)
            .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
    // All at once: the recursor's health check (a full resolution) passes once the authorities answer.
    Startables.deepStart(Stream.of(root, tld, authoritative, recursor)).join();
  }

  /** A role container at its plan address in SUBNET, reachable by its service name as an alias. */
  private GenericContainer<?> authority(String role, int hostNumber, String zones) {
    String address = "172.28.54." + hostNumber;
    return new GenericContainer<>("dnslab/" + role + ":dev")
        .withNetwork(network)
        .withNetworkAliases(role)
        .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(address))
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(sharedState()))
        .withCommand("--address", "0.0.0.0", "--lab-network", SUBNET, "--zones", "/opt/dnslab/zones/" + zones,
            "--state-dir", STATE_DIR)
        .withExposedPorts(53, 9153)
        // The image's HEALTHCHECK asks the role a real question (HealthProbe); wait for its verdict.
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
  }

  /**
   * The run's named volume at the state folder. Docker makes it on first use and fills it from the
   * image's folder (owner included), so the unprivileged role user can write its keys there; all
   * three authorities start at once and make the keys once under the folder's file lock.
   */
  private Bind sharedState() {
    return new Bind(stateVolume, new Volume(STATE_DIR));
  }

  @AfterAll
  void stopTheRoles() {
    for (GenericContainer<?> container : new GenericContainer<?>[] {recursor, root, tld, authoritative}) {
      if (container != null) {
        container.stop();
      }
    }
    if (network != null) {
      network.close();
    }
    try {
      DockerClientFactory.instance().client().removeVolumeCmd(stateVolume).exec();
    } catch (RuntimeException alreadyGone) {
      // never made (the start failed before any container ran) or removed already
    }
  }

  @Test
  void rootRefersToComWithGlueInTheNetworkItWasGiven() throws Exception {
    Message reply = query(root.getHost(), root.getMappedPort(53), true, "www.google.com.", false);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(reply.getSection(Section.AUTHORITY)).extracting(Record::getName).extracting(Object::toString)
        .containsExactly("com.");
    assertThat(reply.getSection(Section.ADDITIONAL)).filteredOn(r -> r.getType() == Type.A)
        .extracting(Record::rdataToString).containsExactly("172.28.54.12");
  }

  @Test
  void authoritativeAnswersOverItsMappedTcpPort() throws Exception {
    Message reply = query(authoritative.getHost(), authoritative.getMappedPort(53), true, "www.google.com.", false);

    assertThat(addresses(reply)).containsExactly("172.28.54.80");
  }

  @Test
  void authoritativeAnswersOverUdpAtItsFixedAddress() throws Exception {
    Message reply = query("172.28.54.13", 53, false, "www.naver.com.", false);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(addresses(reply)).containsExactly("172.28.54.80");
  }

  @Test
  void recursorResolvesThroughTheAuthorityContainers() throws Exception {
    for (String name : List.of("www.google.com.", "www.naver.com.")) {
      Message reply = query(recursor.getHost(), recursor.getMappedPort(53), true, name, true);

      assertThat(Rcode.string(reply.getRcode())).as(name).isEqualTo("NOERROR");
      assertThat(addresses(reply)).as(name).containsExactly("172.28.54.80");
    }
  }

  @Test
  void containersFindEachOtherByAlias() throws Exception {
    ExecResult probe =
        tld.execInContainer(
            "java", "-cp", "/opt/dnslab/dnslab.jar", "dev.dnslab.core.probe.HealthProbe", "dns",
            "--server", "authoritative-ns", "--name", "www.google.com", "--expect", "answer", "--no-recurse");

    assertThat(probe.getExitCode()).as(probe.getStdout() + probe.getStderr()).isZero();
    assertThat(probe.getStdout()).contains("172.28.54.80");
  }

  @Test
  void adminPortServesMetrics() throws Exception {
    MetricsScrape metrics = MetricsScrape.of(new InetSocketAddress(root.getHost(), root.getMappedPort(9153)));
    List<String> lines = metrics.text().lines().toList();

    assertThat(lines).anyMatch(line -> line.startsWith("dns_requests_total"));
  }

  @Test
  void parentsPublishTheDsOfTheKeysTheirChildrenSignWith() throws Exception {
    // RFC 4035 5.2: the DS com publishes must match a key-signing key in google.com's DNSKEY RRset,
    // served by another container: only one shared key folder makes that true.
    DSRecord ds = (DSRecord) answerWithDo(tld, "google.com.", Type.DS).stream()
        .filter(DSRecord.class::isInstance).findFirst().orElseThrow();
    List<DNSKEYRecord> keys = answerWithDo(authoritative, "google.com.", Type.DNSKEY).stream()
        .filter(DNSKEYRecord.class::isInstance).map(DNSKEYRecord.class::cast).toList();

    assertThat(keys).as("google.com DNSKEY").anyMatch(key -> key.getFootprint() == ds.getFootprint()
        && Arrays.equals(new DSRecord(key.getName(), DClass.IN, 0, ds.getDigestID(), key).getDigest(), ds.getDigest()));
  }

  @Test
  void validatingUnboundAuthenticatesTheLabFromTheContainersAnchor(@TempDir Path dir) throws Exception {
    // The anchor the lab's own command prints from the shared volume (docker/README.md).
    ExecResult anchor = root.execInContainer("java", "-jar", "/opt/dnslab/dnslab.jar", "trust-anchor");
    assertThat(anchor.getExitCode()).as(anchor.getStderr()).isZero();
    Path anchorFile = Files.writeString(dir.resolve("root.anchor"), anchor.getStdout());
    InetSocketAddress listen = new InetSocketAddress("127.0.0.1", HostPorts.free().dns());
    Path hints = UnboundDaemon.writeRootHints(dir, InetAddress.getByName("172.28.54.11"));
    // Unbound on this host, iterating from the root container over the test network's bridge.
    try (DaemonProcess validator = UnboundDaemon.startForNetworkLab(dir, listen, hints, anchorFile)) {
      for (String name : List.of("www.google.com.", "www.example.co.kr.")) {
        Message reply = queryThrough(listen, name);

        assertThat(Rcode.string(reply.getRcode())).as(name + "\n" + validator.tail()).isEqualTo("NOERROR");
        assertThat(reply.getHeader().getFlag(Flags.AD)).as(name + " authenticated (AD)\n" + reply).isTrue();
        assertThat(addresses(reply)).as(name).contains("172.28.54.80");
      }
      // example.org is the lab's deliberately unsigned zone under a signed org, and www.naver.com's
      // CNAME leads into unsigned nheos.com: insecure (proven), so answered without AD.
      for (String name : List.of("www.example.org.", "www.naver.com.")) {
        Message insecure = queryThrough(listen, name);

        assertThat(Rcode.string(insecure.getRcode())).as(name + "\n" + validator.tail()).isEqualTo("NOERROR");
        assertThat(insecure.getHeader().getFlag(Flags.AD)).as(name + "\n" + insecure).isFalse();
        assertThat(addresses(insecure)).as(name).contains("172.28.54.80");
      }
    }
  }

  private static Message queryThrough(InetSocketAddress resolver, String name) throws Exception {
    SimpleResolver client = new SimpleResolver(resolver);
    client.setTimeout(Duration.ofSeconds(10));
    client.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    return client.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  private static List<Record> answerWithDo(GenericContainer<?> server, String name, int type) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(server.getHost(), server.getMappedPort(53)));
    client.setTCP(true);
    client.setTimeout(Duration.ofSeconds(5));
    client.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    return client.send(query).getSection(Section.ANSWER);
  }
}
