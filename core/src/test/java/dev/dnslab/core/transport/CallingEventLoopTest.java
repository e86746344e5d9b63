package dev.dnslab.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Work started on an event loop continues on that loop; work started elsewhere on the fallback named. */
class CallingEventLoopTest {
  private final NettyTransport transport = NettyTransport.best();
  private final EventLoopGroup ioLoops = transport.newGroup(1);
  private final EventLoopGroup fallbackLoops = transport.newGroup(1);
  private final DefaultEventLoop plainLoop = new DefaultEventLoop();
  private final ExecutorService plainThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    plainThread.shutdownNow();
    for (EventLoopGroup group : new EventLoopGroup[] {ioLoops, fallbackLoops, plainLoop}) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void givesTheLoopTheCallerRunsOn() throws Exception {
    EventLoop loop = ioLoops.next();

    assertThat(onLoop(loop, () -> CallingEventLoop.orElse(GlobalEventExecutor.INSTANCE))).isSameAs(loop);
    assertThat(onLoop(loop, () -> CallingEventLoop.orElse(ForkJoinPool.commonPool()))).isSameAs(loop);
    assertThat(onLoop(loop, () -> CallingEventLoop.orNext(fallbackLoops, transport))).isSameAs(loop);
    assertThat(onLoop(plainLoop, () -> CallingEventLoop.orElse(GlobalEventExecutor.INSTANCE)))
        .as("any event loop, I/O or not").isSameAs(plainLoop);
  }

  @Test
  void givesTheFallbackToACallerOnNoLoop() throws Exception {
    EventLoop fallback = fallbackLoops.next();

    assertThat(CallingEventLoop.orElse(GlobalEventExecutor.INSTANCE)).as("the test's thread")
        .isSameAs(GlobalEventExecutor.INSTANCE);
    assertThat(CallingEventLoop.orElse(ForkJoinPool.commonPool())).isSameAs(ForkJoinPool.commonPool());
    assertThat(CallingEventLoop.orNext(fallbackLoops, transport)).isSameAs(fallback);
    assertThat(plainThread.submit(() -> CallingEventLoop.orElse(GlobalEventExecutor.INSTANCE)).get(10, TimeUnit.SECONDS))
        .as("a thread of a plain JDK executor").isSameAs(GlobalEventExecutor.INSTANCE);
  }

  @Test
  void givesTheGroupsNextLoopOnALoopTheTransportCannotRegisterChannelsWith() throws Exception {
    EventLoop fallback = fallbackLoops.next();

    assertThat(onLoop(plainLoop, () -> CallingEventLoop.orNext(fallbackLoops, transport))).isSameAs(fallback);
  }

  @Test
  void keepsTheCallersLoopWhileItShutsDown() throws Exception {
    EventLoop loop = ioLoops.next();

    EventExecutor chosen = onLoop(loop, () -> {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      return CallingEventLoop.orNext(fallbackLoops, transport);
    });

    assertThat(loop.isShuttingDown()).isTrue();
    assertThat(chosen).as("not moved to a loop that outlives the caller's server").isSameAs(loop);
  }

  private static <T> T onLoop(EventExecutor loop, Callable<T> task) throws Exception {
    return loop.submit(task).get(10, TimeUnit.SECONDS);
  }
}
