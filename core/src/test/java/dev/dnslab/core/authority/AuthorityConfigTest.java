package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.net.Cidr;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder checks each value as it is set and names the setting in its error. */
class AuthorityConfigTest {
  private static final List<Path> ZONES = List.of(Path.of("zones/root"));

  @Test
  void defaultsToLoopbackOnFreePortsWithOneThread() {
    AuthorityConfig config = AuthorityConfig.builder("root-ns").zoneSources(ZONES).build();

    assertThat(config.listen()).isEqualTo(AuthorityConfig.DEFAULT_LISTEN);
    assertThat(config.listen().getAddress().isLoopbackAddress()).isTrue();
    assertThat(config.listen().getPort()).isZero();
    assertThat(config.transferClients()).isEqualTo(Cidr.LOOPBACK);
    assertThat(config.threads()).isEqualTo(1);
    assertThat(config.interceptors()).isEmpty();
  }

  @Test
  void rejectsConfigWithoutZoneSources() {
    assertThatThrownBy(() -> AuthorityConfig.builder("root-ns").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zoneSources: [] (expected: at least one zone file or directory)");
    assertThatThrownBy(() -> AuthorityConfig.builder("root-ns").zoneSources(List.of()))
        .hasMessage("zoneSources: [] (expected: at least one zone file or directory)");
  }

  @Test
  void rejectsNonPositiveThreads() {
    assertThatThrownBy(() -> AuthorityConfig.builder("root-ns").threads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads: 0 (expected: >= 1)");
  }

  @Test
  void namesTheMissingSetting() {
    assertThatThrownBy(() -> AuthorityConfig.builder("root-ns").listen(null)).hasMessage("listen");
    assertThatThrownBy(() -> AuthorityConfig.builder(null)).hasMessage("role");
  }

  @Test
  void toBuilderChangesOnlyWhatIsSet() {
    AuthorityConfig config = AuthorityConfig.builder("tld-ns").zoneSources(ZONES)
        .listen(new InetSocketAddress("127.53.0.12", 53)).threads(2).build();

    AuthorityConfig changed = config.toBuilder().transferClients(List.of(Cidr.parse("192.0.2.0/24"))).build();

    assertThat(changed.listen()).isEqualTo(config.listen());
    assertThat(changed.threads()).isEqualTo(2);
    assertThat(changed.zoneSources()).isEqualTo(ZONES);
    assertThat(changed.transferClients()).containsExactly(Cidr.parse("192.0.2.0/24"));
  }
}
