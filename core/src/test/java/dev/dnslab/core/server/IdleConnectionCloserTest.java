package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.metrics.DnsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The idle clock on a frozen event loop: what restarts it, and what keeps a DNS connection open past
 * it. {@link TcpIdleTimeoutTest} and the recursor's DohIdleConnectionTest prove the same over real
 * sockets and TLS.
 */
class IdleConnectionCloserTest {
  private static final long TIMEOUT_MILLIS = 1000;

  /** A connection with only the idle closer, as the web server has it, or after the DNS connection cap. */
  private static EmbeddedChannel channel(ChannelHandler... before) {
    EmbeddedChannel channel = new EmbeddedChannel(before);
    channel.freezeTime();
    channel.pipeline().addLast(new IdleConnectionCloser(Duration.ofMillis(TIMEOUT_MILLIS)));
    return channel;
  }

  @Test
  void closesAConnectionWithoutTrafficForTheTimeout() {
    EmbeddedChannel channel = channel();

    channel.advanceTimeBy(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aReadPutsTheCloseOff() {
    EmbeddedChannel channel = channel();

    channel.advanceTimeBy(TIMEOUT_MILLIS - 100, TimeUnit.MILLISECONDS);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
    assertClosesOneTimeoutAfterTheTraffic(channel);
  }

  @Test
  void aFlushedWritePutsTheCloseOff() {
    EmbeddedChannel channel = channel();

    channel.advanceTimeBy(TIMEOUT_MILLIS - 100, TimeUnit.MILLISECONDS);
    channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}), channel.voidPromise());
    assertClosesOneTimeoutAfterTheTraffic(channel);
  }

  @Test
  void keepsADnsConnectionWhoseQueryIsStillBeingAnsweredUntilATimeoutAfterTheAnswer() {
    // given a DNS connection whose query is still being answered after twice the timeout
    EmbeddedChannel channel = channel(new TcpConnectionLimiter(8, new DnsMetrics(new SimpleMeterRegistry(), "test"), Transport.TCP));
    TcpConnectionLimiter.StreamActivity activity = TcpConnectionLimiter.activity(channel);
    activity.queryReceived();
    channel.advanceTimeBy(2 * TIMEOUT_MILLIS + 500, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).as("open while the query is answered").isTrue();

    // when the answer goes out, written with a void promise as TcpQueryHandler writes it
    channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}), channel.voidPromise());
    activity.answerSent();

    // then the connection gets a whole timeout from the answer
    channel.advanceTimeBy(TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).as("a millisecond before the timeout after the answer").isTrue();
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }

  /** Traffic came 100 ms before the timeout: open 200 ms later, closed a full timeout after it. */
  private static void assertClosesOneTimeoutAfterTheTraffic(EmbeddedChannel channel) {
    channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    channel.advanceTimeBy(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }
}
