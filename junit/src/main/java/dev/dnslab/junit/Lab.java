package dev.dnslab.junit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.TrustAnchorFormat;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.lab.FileTrees;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioException;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.core.zone.ZoneLoadException;
import dev.dnslab.lab.EmbeddedLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * A running lab: the addresses of its root, TLD and authoritative servers (one shared port), a
 * root hints file naming only its root, and the journal of every query its servers received and
 * every fault they injected. Get one from {@link DnsLab @DnsLab} or start one yourself:
 *
 * <pre>{@code
 * try (Lab lab = Lab.builder().scenario("truncate").port(53).start()) {
 *   startMyResolver(lab.rootHints());
 *   ...
 *   lab.journal().awaitQuery(q -> q.transport() == Transport.TCP, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Lab implements AutoCloseable {
  /** Pick a random free /24 in 127.0.0.0/8 (see {@link Builder#network(String)}). */
  public static final String ANY_NETWORK = "any";

  /** Random networks tried before giving up when {@link #ANY_NETWORK} is asked for. */
  private static final int NETWORK_ATTEMPTS = 10;

  private final EmbeddedLab lab;
  private final QueryJournal journal;
  private final Scenario scenario;
  private final Path rootHints;
  /** The temporary state folder this lab made for itself (deleted on close), or null. */
  private final Path ownStateDir;
  private Path trustAnchorFile;

  private Lab(EmbeddedLab lab, QueryJournal journal, Scenario scenario, Path rootHints, Path ownStateDir) {
    this.lab = lab;
    this.journal = journal;
    this.scenario = scenario;
    this.rootHints = rootHints;
    this.ownStateDir = ownStateDir;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The root server's DNS address. */
  public InetSocketAddress root() {
    return lab.address(LabRole.ROOT);
  }

  /** The TLD server's DNS address (com, net, org, kr, co.kr). */
  public InetSocketAddress tld() {
    return lab.address(LabRole.TLD);
  }

  /** The authoritative server's DNS address (google.com, naver.com, example.co.kr, ...). */
  public InetSocketAddress authoritative() {
    return lab.address(LabRole.AUTHORITATIVE);
  }

  /** The DNS port all three servers share: referrals carry addresses, never ports. */
  public int port() {
    return lab.plan().dnsPort();
  }

  /** The /24 the lab lives in, e.g. {@code 127.77.3.0/24}. */
  public String network() {
    return lab.plan().network().toString();
  }

  /** A root hints file naming only this lab's root server (see {@code dnslab root-hints}). */
  public Path rootHints() {
    return rootHints;
  }

  /**
   * The lab root's DNSSEC trust anchor (its KSK's DS and DNSKEY): what a validating resolver under
   * test trusts instead of the real root's key.
   *
   * @throws IllegalStateException when the lab was started without DNSSEC
   */
  public TrustAnchor trustAnchor() {
    return lab.trustAnchor();
  }

  /**
   * The trust anchor as a file of DS records, which Unbound's {@code trust-anchor-file} and Knot
   * Resolver's {@code trust_anchors.add_file} read; written once, deleted with the lab.
   */
  public synchronized Path trustAnchorFile() {
    if (trustAnchorFile == null) {
      try {
        trustAnchorFile = Files.createTempFile("dnslab-trust-anchor-", ".ds");
        trustAnchorFile.toFile().deleteOnExit();
        Files.writeString(trustAnchorFile, trustAnchor().anchorFileText());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the trust anchor file", e);
      }
    }
    return trustAnchorFile;
  }

  /**
   * The configuration lines that make {@code format}'s resolver validate from this lab's root, e.g.
   * {@code trust-anchor-file: "/tmp/..."} for Unbound or {@code trust-anchors { ... }} for BIND.
   */
  public String trustAnchorConfig(TrustAnchorFormat format) {
    return format.render(trustAnchor(), trustAnchorFile());
  }

  /** Every query the lab's servers received and every fault they injected. */
  public QueryJournal journal() {
    return journal;
  }

  /** The scenario this lab runs, if any. */
  public Optional<Scenario> scenario() {
    return Optional.ofNullable(scenario);
  }

  /**
   * Where an address written in the zone files (127.53.0.0/24) lives in this lab: {@code
   * address("127.53.0.80")} is {@code 127.77.3.80} in a lab on 127.77.3.0/24. Other addresses are
   * returned as they are.
   */
  public InetAddress address(String zoneFileAddress) {
    try {
      return lab.plan().translate(InetAddress.getByName(zoneFileAddress));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + zoneFileAddress, e);
    }
  }

  /** Stops the servers. */
  @Override
  public void close() {
    lab.close();
    try {
      Files.deleteIfExists(rootHints);
      if (trustAnchorFile != null) {
        Files.deleteIfExists(trustAnchorFile);
      }
      if (ownStateDir != null) {
        FileTrees.delete(ownStateDir);
      }
    } catch (IOException e) {
      // temporary files; the JVM deletes the hints file on exit
    }
  }

  @Override
  public String toString() {
    return "Lab[root=" + root() + ", tld=" + tld() + ", authoritative=" + authoritative()
        + scenario().map(s -> ", scenario=" + s.name()).orElse("") + "]";
  }

  /** How to start a {@link Lab}. */
  public static final class Builder {
    private String scenario = "";
    private int port;
    private String network = ANY_NETWORK;
    private boolean dnssec = true;
    private Path stateDir;
    private LongSupplier rateLimitClock = System::nanoTime;

    private Builder() {}

    /** Whether the lab's zones are signed (default true; false serves them unsigned). */
    public Builder dnssec(boolean dnssec) {
      this.dnssec = dnssec;
      return this;
    }

    /**
     * Where the lab keeps its DNSSEC keys; default: a new temporary folder per lab, so a test's
     * trust anchor never depends on another run. Pass a folder to keep one anchor across labs.
     */
    public Builder stateDir(Path stateDir) {
      this.stateDir = requireNonNull(stateDir, "stateDir");
      return this;
    }

    /** A shipped scenario's name or a scenario file's path; empty for the plain lab (default). */
    public Builder scenario(String scenario) {
      this.scenario = requireNonNull(scenario, "scenario");
      return this;
    }

    /** A scenario file. */
    public Builder scenario(Path scenario) {
      return scenario(requireNonNull(scenario, "scenario").toString());
    }

    /** DNS port of all servers; 0 (default) picks a free one, 53 lets real resolvers follow referrals. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      this.port = port;
      return this;
    }

    /** A /24 in 127.0.0.0/8 such as {@code 127.53.0.0/24}, or {@link #ANY_NETWORK} (default). */
    public Builder network(String network) {
      requireNonNull(network, "network");
      if (!network.equals(ANY_NETWORK)) {
        Cidr cidr = Cidr.parse(network);
        if (!cidr.network().isLoopbackAddress()) {
          throw new IllegalArgumentException("network: " + network + " (expected: a /24 in 127.0.0.0/8, or any)");
        }
      }
      this.network = network;
      return this;
    }

    /**
     * The monotonic nanosecond clock a scenario's rate limits ({@code rate-limit:}) refill by;
     * {@link System#nanoTime()} by default. A test that holds it still sees exact counts however
     * slowly its client runs:
     *
     * <pre>{@code
     * Lab.builder().scenario("rate-limit").rateLimitClock(() -> 0).start();
     * }</pre>
     */
    public Builder rateLimitClock(LongSupplier rateLimitClock) {
      this.rateLimitClock = requireNonNull(rateLimitClock, "rateLimitClock");
      return this;
    }

    /**
     * Starts the lab.
     *
     * @throws ScenarioException if the scenario cannot be read (the message names file and line)
     * @throws ZoneLoadException if a zone file is broken
     * @throws BindException if the port is taken on every network tried
     */
    public Lab start() throws ScenarioException, ZoneLoadException, BindException {
      Scenario loaded = scenario.isEmpty() ? null : ScenarioLibrary.load(scenario);
      Path zones = BundledZones.locate();
      try {
        if (loaded != null) {
          zones = loaded.zones(zones);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lay out the scenario's zones", e);
      }
      Path state;
      try {
        state = stateDir != null ? stateDir : Files.createTempDirectory("dnslab-lab-state-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make the lab's state folder", e);
      }
      BindException last = null;
      int attempts = network.equals(ANY_NETWORK) ? NETWORK_ATTEMPTS : 1;
      for (int attempt = 0; attempt < attempts; attempt++) {
        Cidr cidr = Cidr.parse(network.equals(ANY_NETWORK) ? randomNetwork() : network);
        QueryJournal journal = new QueryJournal();
        EmbeddedLab.Builder builder = EmbeddedLab.builder()
            .plan(new AddressPlan(cidr, port, 0))
            .zones(zones)
            .stateDir(state)
            .rateLimitClock(rateLimitClock);
        if (!dnssec) {
          builder.withoutDnssec();
        }
        if (loaded != null) {
          builder.interceptors(loaded.interceptors(journal, KeyDirectory.inStateDir(state)))
              .rateLimits(loaded::rateLimit);
        } else {
          builder.interceptors(role -> java.util.List.of(journal.recorder(role.serviceName())));
        }
        EmbeddedLab lab = builder.build();
        try {
          lab.start();
        } catch (BindException e) {
          last = e;
          continue;
        }
        return new Lab(lab, journal, loaded, writeHints(lab.plan()), stateDir == null ? state : null);
      }
      throw last;
    }

    /** 127.N.M.0/24 with N in 64..250: clear of 127.0.0.0/24 and of the lab's default 127.53.0.0/24. */
    private static String randomNetwork() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      return "127." + random.nextInt(64, 251) + "." + random.nextInt(0, 256) + ".0/24";
    }

    private static Path writeHints(AddressPlan plan) {
      try {
        Path hints = Files.createTempFile("dnslab-root-", ".hints");
        hints.toFile().deleteOnExit();
        return Files.writeString(hints, RootHints.labFile(plan));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the root hints file", e);
      }
    }
  }
}
