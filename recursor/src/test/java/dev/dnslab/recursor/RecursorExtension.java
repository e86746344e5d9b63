package dev.dnslab.recursor;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.testing.ServerExtension;
import java.nio.file.Files;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link LabHierarchy} and a recursor aimed at it, started before a test class and stopped after
 * it, optionally with an empty cache before each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).emptyCacheBeforeEach();
 * }</pre>
 */
final class RecursorExtension extends ServerExtension<RecursorServer> implements BeforeEachCallback {
  private final Path zones;
  private boolean signed;
  // Where a signed hierarchy's keys are made, for the run; null for an unsigned one.
  private Path keysStateDir;
  private UnaryOperator<RecursorConfig.Builder> configure = UnaryOperator.identity();
  private boolean emptyCache;
  private CacheClock clock = CacheClock.MONOTONIC;
  private LabHierarchy lab;
  private Function<LabRole, List<DnsHandler>> interceptors = role -> List.of();

  private RecursorExtension(Path zones) {
    this.zones = requireNonNull(zones, "zones");
  }

  /** A recursor over the hierarchy of {@code zones} ({@link LabHierarchy#LAB_ZONES} or SCENARIO_ZONES). */
  static RecursorExtension on(Path zones) {
    return new RecursorExtension(zones);
  }

  /**
   * Signs the hierarchy as the lab does, with keys made in a temporary folder, and has the
   * recursor validate from its root's anchor (before {@link #configure} changes apply).
   */
  RecursorExtension signed() {
    this.signed = true;
    return this;
  }

  /**
   * Changes the recursor's config from the one {@link LabHierarchy#recursorConfig()} gives, after
   * the changes asked for before (those of {@link #withEncryptedTransports} among them).
   */
  RecursorExtension configure(UnaryOperator<RecursorConfig.Builder> change) {
    requireNonNull(change, "change");
    UnaryOperator<RecursorConfig.Builder> before = configure;
    this.configure = config -> change.apply(before.apply(config));
    return this;
  }

  /**
   * Also DNS over HTTPS and DNS over TLS on free loopback ports, the lab CA kept in {@code stateDir}
   * (asked when the recursor starts, so a {@code @TempDir} field is set by then).
   */
  RecursorExtension withEncryptedTransports(Supplier<Path> stateDir) {
    return configure(config -> config
        .doh(new InetSocketAddress("127.0.0.1", 0))
        .dot(new InetSocketAddress("127.0.0.1", 0))
        .stateDir(stateDir.get()));
  }

  /** Has the recursor's cache count TTLs down on {@code clock}, which the test drives. */
  RecursorExtension clock(CacheClock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /** Has each lab server of a signed hierarchy run {@code interceptors} (e.g. to see its questions) before its zones. */
  RecursorExtension interceptedBy(Function<LabRole, List<DnsHandler>> interceptors) {
    this.interceptors = requireNonNull(interceptors, "interceptors");
    return this;
  }

  /** Flushes the cache before each test, so every test starts from the root. */
  RecursorExtension emptyCacheBeforeEach() {
    this.emptyCache = true;
    return this;
  }

  /** The hierarchy the recursor walks. */
  LabHierarchy lab() {
    if (lab == null) {
      throw new IllegalStateException("no lab: the recursor is not running");
    }
    return lab;
  }

  @Override
  protected RecursorServer start() throws Exception {
    if (signed) {
      keysStateDir = Files.createTempDirectory("dnslab-keys");
    }
    lab = signed ? LabHierarchy.startSigned(zones, keysStateDir, interceptors) : LabHierarchy.start(zones);
    try {
      RecursorConfig.Builder config = lab.recursorConfig();
      if (signed) {
        config.dnssec(DnssecValidation.anchors(lab.trustAnchor().ds()));
      }
      return new RecursorServer(configure.apply(config).build(), clock).start();
    } catch (Exception | Error e) {
      lab.close();
      lab = null;
      throw e;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (emptyCache) {
      server().cache().flushAll();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      super.close();
    } finally {
      if (lab != null) {
        lab.close();
        lab = null;
      }
      if (keysStateDir != null) {
        try (var files = Files.walk(keysStateDir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        keysStateDir = null;
      }
    }
  }
}
