package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleConnectionCloserTest {
  private static final long TIMEOUT_MILLIS = 1000;

  private static EmbeddedChannel channel() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.pipeline().addLast(new IdleConnectionCloser(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS)));
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
