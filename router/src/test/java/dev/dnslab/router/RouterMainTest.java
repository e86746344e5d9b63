package dev.dnslab.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RouterMainTest {
  @Test
  void defaultsToTheLabsRouterAddressForwardingToTheRecursor() throws Exception {
    RouterMain main = new RouterMain();
    new CommandLine(main).parseArgs();

    RouterConfig config = main.toConfig();

    assertThat(config.listen().getAddress().getHostAddress()).isEqualTo("127.53.0.254");
    assertThat(config.listen().getPort()).isEqualTo(53);
    assertThat(config.admin().getPort()).isEqualTo(9153);
    assertThat(config.upstream().getAddress().getHostAddress()).isEqualTo("127.53.0.53");
    assertThat(config.upstream().getPort()).isEqualTo(53);
  }

  @Test
  void forwardsOnTheRoutersOwnPortUnlessToldOtherwise() throws Exception {
    RouterMain main = new RouterMain();
    new CommandLine(main).parseArgs("--address", "172.28.53.254", "--upstream", "172.28.53.53", "--port", "5353",
        "--upstream-timeout-ms", "2000");

    RouterConfig config = main.toConfig();

    assertThat(config.upstream().getPort()).isEqualTo(5353);
    assertThat(config.upstream().getAddress().getHostAddress()).isEqualTo("172.28.53.53");
    assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofSeconds(2));
  }
}
