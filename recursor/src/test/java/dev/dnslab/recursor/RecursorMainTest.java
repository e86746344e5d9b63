package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.zone.RootHints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import picocli.CommandLine;

/** The command line of the README's examples turns into the configuration it promises. */
class RecursorMainTest {
  @TempDir Path temp;

  @Test
  void asksUpstreamsOnTheLabsPortByDefault() throws Exception {
    RecursorConfig config = parse("--port", "5353", "--doh-port", "8443", "--dot-port", "8853");

    assertThat(config.listen()).isEqualTo(new InetSocketAddress("127.53.0.53", 5353));
    assertThat(config.upstreamPort()).isEqualTo(5353);
    assertThat(config.doh().getPort()).isEqualTo(8443);
    assertThat(config.dot().getPort()).isEqualTo(8853);
    assertThat(config.qnameMinimisation()).isTrue();
    assertThat(config.rootHints().nameServers().values().iterator().next())
        .containsExactly(InetAddress.getByName("127.53.0.11"));
  }

  @Test
  void movesRootHintsAndAllowListToAnotherLabNetwork() throws Exception {
    RecursorConfig config = parse("--lab-network", "172.28.53.0/24", "--no-qname-minimisation", "--doh-port", "-1");

    assertThat(config.rootHints().nameServers().values().iterator().next())
        .containsExactly(InetAddress.getByName("172.28.53.11"));
    assertThat(config.allowedUpstreams()).contains(Cidr.parse("172.28.53.0/24"));
    assertThat(config.qnameMinimisation()).isFalse();
    assertThat(config.doh()).isNull();
  }

  @Test
  void allowsTheLoopbackNetworkOfTheRootHintsByDefault() throws Exception {
    RecursorConfig moved = RecursorConfig.builder()
        .rootHints(RootHints.single(Name.fromConstantString("a.root-servers.net."), InetAddress.getByName("127.53.7.11")))
        .build();
    RecursorConfig outside = RecursorConfig.builder()
        .rootHints(RootHints.single(Name.fromConstantString("a.root-servers.net."), InetAddress.getByName("198.41.0.4")))
        .build();

    assertThat(moved.allowedUpstreams()).contains(Cidr.parse("127.53.7.0/24"), Cidr.parse("127.53.0.0/24"));
    assertThat(outside.allowedUpstreams()).containsExactlyElementsOf(RecursorConfig.DEFAULT_UPSTREAMS);
  }

  @Test
  void readsARootHintsFile() throws Exception {
    Path hints = temp.resolve("named.root");
    Files.writeString(hints, ". 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A 127.53.9.11\n");

    RecursorConfig config = parse("--root-hints", hints.toString(), "--allow-upstream", "127.53.9.0/24",
        "--allow-client", "127.0.0.1");

    assertThat(config.rootHints().nameServers())
        .containsEntry(Name.fromConstantString("a.root-servers.net."), java.util.List.of(InetAddress.getByName("127.53.9.11")));
    assertThat(config.allowedUpstreams()).containsExactly(Cidr.parse("127.53.9.0/24"));
    assertThat(config.allowedClients()).containsExactly(Cidr.parse("127.0.0.1/32"));
  }

  @Test
  void rejectsRootHintsWithoutAddresses() throws Exception {
    Path hints = temp.resolve("named.root");
    Files.writeString(hints, ". 3600000 NS a.root-servers.net.\n");

    assertThatThrownBy(() -> parse("--root-hints", hints.toString()))
        .isInstanceOf(IOException.class).hasMessageContaining("no root server has an address");
  }

  @Test
  void asksNameServersOverBothFamiliesInComposeUnlessTold() throws Exception {
    RecursorConfig both = parse("--lab-network", "172.28.53.0/24", "--also-listen", "fd00:53:53:172::53");
    RecursorConfig ipv4 = parse("--lab-network", "172.28.53.0/24", "--no-ipv6");

    assertThat(both.families()).isEqualTo(dev.dnslab.recursor.iterator.AddressFamilies.BOTH);
    assertThat(both.alsoListen()).containsExactly(InetAddress.getByName("fd00:53:53:172::53"));
    assertThat(ipv4.families()).isEqualTo(dev.dnslab.recursor.iterator.AddressFamilies.IPV4_ONLY);
  }

  @Test
  void hintsTheRootsIpv6AddressWhenAskingOverIpv6Only() throws Exception {
    RecursorConfig config = parse("--lab-network", "172.28.53.0/24", "--no-ipv4");

    assertThat(config.families()).isEqualTo(dev.dnslab.recursor.iterator.AddressFamilies.IPV6_ONLY);
    assertThat(config.rootHints().nameServers().values().iterator().next())
        .containsExactly(InetAddress.getByName("172.28.53.11"), InetAddress.getByName("fd00:53:53:172::11"));
  }

  @Test
  void refusesToTurnOffBothFamilies() {
    assertThatThrownBy(() -> parse("--no-ipv4", "--no-ipv6"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no address family left");
  }

  @Test
  void validatesFromTheLabRootsKeyInTheStateDirByDefault() throws Exception {
    RecursorConfig config = parse("--state-dir", temp.toString());

    assertThat(config.dnssec()).isEqualTo(DnssecValidation.labKeys(temp));
  }

  @Test
  void validatesFromAGivenTrustAnchorOrNotAtAll() throws Exception {
    Path anchor = Files.writeString(temp.resolve("lab-root.ds"),
        ". 86400 IN DS 12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n");

    assertThat(parse("--trust-anchor", anchor.toString()).dnssec()).isEqualTo(DnssecValidation.anchorFile(anchor));
    assertThat(parse("--no-dnssec").dnssec().enabled()).isFalse();
    assertThatThrownBy(() -> parse("--trust-anchor", temp.resolve("missing.ds").toString()))
        .hasMessageContaining("missing.ds");
    assertThatThrownBy(() -> parse("--no-dnssec", "--trust-anchor", anchor.toString()))
        .hasMessageContaining("choose one");
  }

  @Test
  void boundsTheCacheByEntriesAndMemoryByDefault() throws Exception {
    RecursorConfig config = parse();

    assertThat(config.cacheMaxEntries()).isEqualTo(RecursorConfig.DEFAULT_CACHE_MAX_ENTRIES);
    assertThat(config.cacheMaxBytes()).isEqualTo(8L * 1024 * 1024);
  }

  @Test
  void makesEitherCacheBoundGivenAloneTheOnlyOne() throws Exception {
    RecursorConfig entries = parse("--cache-size", "25000");
    RecursorConfig memory = parse("--cache-memory", "64");
    RecursorConfig both = parse("--cache-size", "25000", "--cache-memory", "64");

    assertThat(entries.cacheMaxEntries()).isEqualTo(25_000);
    assertThat(entries.cacheMaxBytes()).as("--cache-size alone: entries only").isEqualTo(RecordCache.NO_BYTE_BOUND);
    assertThat(memory.cacheMaxBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(memory.cacheMaxEntries()).as("--cache-memory alone: memory only").isEqualTo(Integer.MAX_VALUE);
    assertThat(both.cacheMaxEntries()).isEqualTo(25_000);
    assertThat(both.cacheMaxBytes()).isEqualTo(64L * 1024 * 1024);
  }

  @Test
  void rejectsACacheBoundBelowOne() {
    assertThatThrownBy(() -> parse("--cache-memory", "0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--cache-memory: 0 (expected: >= 1)");
    assertThatThrownBy(() -> parse("--cache-size", "-5"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--cache-size: -5 (expected: >= 1)");
    assertThatThrownBy(() -> parse("--cache-memory", "lots"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--cache-memory");
  }

  @Test
  void setsEachStreamTransportsIdleTimeoutApart() throws Exception {
    assertThat(parse().idleTimeouts()).isEqualTo(IdleTimeouts.DEFAULT);
    assertThat(IdleTimeouts.DEFAULT).isEqualTo(
        new IdleTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30)));

    RecursorConfig config = parse("--tcp-idle-timeout", "5", "--dot-idle-timeout", "20", "--doh-idle-timeout", "120");

    assertThat(config.idleTimeouts())
        .isEqualTo(new IdleTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(120)));
  }

  @Test
  void rejectsAnIdleTimeoutBelowOneSecond() {
    assertThatThrownBy(() -> parse("--tcp-idle-timeout", "0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--tcp-idle-timeout: 0 (expected: >= 1)");
    assertThatThrownBy(() -> parse("--dot-idle-timeout", "-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--dot-idle-timeout: -1 (expected: >= 1)");
    assertThatThrownBy(() -> parse("--doh-idle-timeout", "30s"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--doh-idle-timeout");
    assertThatThrownBy(() -> new IdleTimeouts(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("dot: PT0S (expected: > 0)");
  }

  private static RecursorConfig parse(String... args) throws IOException {
    RecursorMain main = new RecursorMain();
    new CommandLine(main).parseArgs(args);
    return main.toConfig();
  }
}
