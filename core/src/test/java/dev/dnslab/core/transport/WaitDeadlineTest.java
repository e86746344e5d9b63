package dev.dnslab.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A deadline fires when the wait outlasts it, is taken back when the wait ends first, and a refusal reaches the caller. */
class WaitDeadlineTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final DefaultEventLoop loop = new DefaultEventLoop();
  /** The loop's timers, remembering each timer they armed. */
  private final List<Future<?>> armed = new CopyOnWriteArrayList<>();
  private final Timers timers = (task, delay) -> {
    Future<?> timer = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    armed.add(timer);
    return timer;
  };

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void firesOnTheTimersWhenTheWaitOutlastsTheDelay() throws Exception {
    CompletableFuture<String> wait = new CompletableFuture<>();
    CompletableFuture<Boolean> firedOnLoop = new CompletableFuture<>();

    WaitDeadline.arm(timers, wait, Duration.ofMillis(1), () -> firedOnLoop.complete(loop.inEventLoop()), refused -> {});

    assertThat(firedOnLoop.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("fired on the timers' loop").isTrue();
    assertThat(wait).isNotDone();
  }

  @Test
  void isTakenBackWhenTheWaitCompletesFirst() {
    CompletableFuture<String> wait = new CompletableFuture<>();
    AtomicReference<String> expired = new AtomicReference<>();

    WaitDeadline.arm(timers, wait, DEADLINE, () -> expired.set("fired"), refused -> {});
    assertThat(armed).hasSize(1);
    assertThat(armed.get(0)).isNotDone();
    wait.complete("answered in time");

    assertThat(armed.get(0)).isCancelled();
    assertThat(expired).hasValue(null);
  }

  @Test
  void whatComesAfterTheWaitFindsItsTimerTakenBack() throws Exception {
    CompletableFuture<String> wait = new CompletableFuture<>();

    CompletableFuture<Boolean> timerGoneFirst = WaitDeadline.arm(timers, wait, DEADLINE, () -> {}, refused -> {})
        .thenApply(answer -> armed.get(0).isCancelled());
    wait.complete("answered in time");

    assertThat(timerGoneFirst.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("taken back before what follows").isTrue();
  }

  @Test
  void whatComesAfterTheWaitFindsItsTimerTakenBackEvenWhenAnsweredWhileArming() throws Exception {
    CompletableFuture<String> wait = new CompletableFuture<>();
    // The answer arrives while the timer is being armed, before arm could attach anything to it:
    // a reply already on its way on another thread.
    Timers answeredWhileArming = (task, delay) -> {
      Future<?> timer = timers.schedule(task, delay);
      wait.complete("answered");
      return timer;
    };

    CompletableFuture<Boolean> timerGoneFirst = WaitDeadline.arm(answeredWhileArming, wait, DEADLINE, () -> {}, refused -> {})
        .thenApply(answer -> armed.get(0).isCancelled());

    assertThat(timerGoneFirst.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("taken back before what follows").isTrue();
  }

  @Test
  void armsNothingForAWaitAlreadyOver() {
    CompletableFuture<String> over = CompletableFuture.completedFuture("at once");

    assertThat(WaitDeadline.arm(timers, over, DEADLINE, () -> {}, refused -> {})).isSameAs(over);
    assertThat(armed).isEmpty();
  }

  @Test
  void handsTheRefusalToTheCallerAtOnceWhenTheTimersAreShuttingDown() {
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    CompletableFuture<String> wait = new CompletableFuture<>();
    AtomicReference<String> expired = new AtomicReference<>();
    AtomicReference<RejectedExecutionException> refusal = new AtomicReference<>();

    WaitDeadline.arm(timers, wait, Duration.ofMillis(1), () -> expired.set("fired"), refusal::set);

    assertThat(refusal.get()).as("handed over before arm returned").isNotNull();
    assertThat(armed).isEmpty();
    assertThat(expired).hasValue(null);
  }
}
