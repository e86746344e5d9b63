package dev.dnslab.junit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.TrustAnchorFormat;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.zone.RootHints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The lab as a container ({@code dnslab/lab:dev}, built locally; no registry is ever asked). The
 * lab's servers listen on the container's loopback, 127.53.0.11/.12/.13 port 53, exactly as {@code
 * dnslab up} does on a machine. A resolver under test joins the lab container's network namespace
 * with {@link #shareNetworkWith}, so that loopback is its loopback too, and it is pointed at the
 * lab with {@link #rootHints()}:
 *
 * <pre>{@code
 * try (DnsLabContainer lab = new DnsLabContainer().withScenario(Path.of("scenarios/truncate.yaml"));
 *      GenericContainer<?> unbound = new GenericContainer<>("my/unbound:dev")) {
 *   lab.start();
 *   lab.shareNetworkWith(unbound);
 *   unbound.withCopyToContainer(Transferable.of(lab.rootHints()), "/etc/unbound/root.hints").start();
 * }
 * }</pre>
 *
 * The image's entry point runs {@code dnslab} with the container's command as arguments.
 */
public class DnsLabContainer extends GenericContainer<DnsLabContainer> {
  /** The image, built from the project's docker/ folder. */
  public static final DockerImageName IMAGE = DockerImageName.parse("dnslab/lab:dev");

  private static final String SCENARIO_DIR = "/tmp/dnslab-scenario/";

  /** The image's $DNSLAB_STATE_DIR, where the lab keeps its DNSSEC keys. */
  private static final String STATE_DIR = "/var/lib/dnslab";

  private String scenarioArgument;

  public DnsLabContainer() {
    this(IMAGE);
  }

  public DnsLabContainer(DockerImageName image) {
    super(requireNonNull(image, "image"));
    waitingFor(Wait.forLogMessage(".*dnslab is up.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
  }

  /**
   * Runs the scenario in {@code file}; the whole folder holding it is copied in, so the zone files
   * it names come along.
   */
  public DnsLabContainer withScenario(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    withCopyFileToContainer(MountableFile.forHostPath(absolute.getParent()), SCENARIO_DIR);
    scenarioArgument = SCENARIO_DIR + absolute.getFileName();
    return self();
  }

  @Override
  protected void configure() {
    List<String> command = new ArrayList<>(List.of("up", "--port", "53", "--authorities-only"));
    if (scenarioArgument != null) {
      command.add("--scenario");
      command.add(scenarioArgument);
    }
    setCommand(command.toArray(String[]::new));
  }

  /** Makes {@code resolver} run in this container's network namespace (start this one first). */
  public <T extends GenericContainer<?>> T shareNetworkWith(T resolver) {
    resolver.withNetworkMode("container:" + getContainerId());
    return resolver;
  }

  /** The root hints for the lab inside the container (root 127.53.0.11, port 53). */
  public String rootHints() {
    return RootHints.labFile(AddressPlan.EMBEDDED);
  }

  /**
   * The lab root's trust anchor, read from the root's published key in the container's state dir
   * (start the container first).
   */
  public TrustAnchor trustAnchor() {
    for (String file : List.of("ksk.key", "csk.key")) {
      String path = STATE_DIR + "/keys/root/" + file;
      try {
        String text = copyFileFromContainer(path, in -> new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        List<DNSKEYRecord> keys = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), Name.root)) {
          for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
            if (record instanceof DNSKEYRecord key) {
              keys.add(key);
            }
          }
        }
        return TrustAnchor.ofPublishedKeys(Name.root, keys);
      } catch (IOException | RuntimeException e) {
        // no such key file: the root has the other key style
      }
    }
    throw new IllegalStateException("no root key in the lab container's " + STATE_DIR + "/keys/root");
  }

  /** The trust anchor in {@code format}, the anchor file to be copied into the resolver at {@code anchorFile}. */
  public String trustAnchorConfig(TrustAnchorFormat format, Path anchorFile) {
    return format.render(trustAnchor(), anchorFile);
  }

  /** The root hints as a file to copy into a resolver container. */
  public Transferable rootHintsFile() {
    return Transferable.of(rootHints());
  }
}
