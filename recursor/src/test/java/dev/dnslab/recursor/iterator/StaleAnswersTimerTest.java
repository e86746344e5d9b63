package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * RFC 8767 5's client response timer, on timers the recursor owns: taken back as soon as the
 * client has its answer, and run without a thread of its own per question.
 */
class StaleAnswersTimerTest {
  private static final Name WWW = Name.fromConstantString("www.example.org.");
  private static final Outcome FRESH = new Outcome(Rcode.NOERROR, List.of(), List.of(), null, false, false);

  private final AtomicLong nowSeconds = new AtomicLong(1_000);
  private final RecordCache cache = new RecordCache(1_000, TtlLimits.DEFAULT,
      ServeStale.RFC_8767.window().toSeconds(), nowSeconds::get, new CacheMetrics(new SimpleMeterRegistry(), "recursor"));
  private final AtomicInteger threadsMade = new AtomicInteger();
  private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, task -> {
    threadsMade.incrementAndGet();
    Thread thread = new Thread(task, "stale-answers-timer-test");
    thread.setDaemon(true);
    return thread;
  });

  StaleAnswersTimerTest() {
    // As a Netty event loop does: a cancelled task leaves the queue at once.
    timers.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  @Test
  void aQuestionAnsweredBeforeItsTimerLeavesNoTimerQueued() {
    StaleAnswers stale = staleAnswers(ServeStale.RFC_8767);
    CompletableFuture<Outcome> fresh = new CompletableFuture<>();
    CompletableFuture<Outcome> client = stale.freshOrStale(WWW, Type.A, fresh);
    assertThat(timers.getQueue()).as("the client response timer, armed").hasSize(1);

    fresh.complete(FRESH);

    assertThat(client).isCompletedWithValue(FRESH);
    assertThat(timers.getQueue()).as("timers left after the answer").isEmpty();
  }

  @Test
  void aQuestionAnsweredAtOnceArmsNoTimer() {
    StaleAnswers stale = staleAnswers(ServeStale.RFC_8767);

    CompletableFuture<Outcome> client = stale.freshOrStale(WWW, Type.A, CompletableFuture.completedFuture(FRESH));

    assertThat(client).isCompletedWithValue(FRESH);
    assertThat(timers.getQueue()).isEmpty();
    assertThat(timers.getTaskCount()).isZero();
  }

  @Test
  void manyUnansweredQuestionsGetTheirStaleAnswersFromOneTimerThread() throws Exception {
    cache.putPositive(new RRset(new ARecord(WWW, DClass.IN, 300, InetAddress.getByName("127.53.0.80"))),
        CacheRank.ANSWER, Name.root);
    nowSeconds.addAndGet(301); // expired: kept for the stale window only
    StaleAnswers stale = staleAnswers(
        new ServeStale(ServeStale.RFC_8767.window(), Duration.ofMillis(20), ServeStale.RFC_8767.answerTtl()));
    List<CompletableFuture<Outcome>> clients = new ArrayList<>();

    for (int i = 0; i < 200; i++) {
      clients.add(stale.freshOrStale(WWW, Type.A, new CompletableFuture<>())); // no authority answers
    }

    // Waits for the timers up to a deadline; no sleep.
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(clients).allSatisfy(client -> assertThat(client.join().stale()).isTrue());
    // The pool counts a task once it has returned, after it answered its client: poll to a deadline.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (timers.getCompletedTaskCount() < 200 && System.nanoTime() < deadline) {
      Thread.yield();
    }
    assertThat(timers.getCompletedTaskCount()).as("timers run").isEqualTo(200);
    assertThat(threadsMade).as("threads made for 200 timers").hasValue(1);
  }

  private StaleAnswers staleAnswers(ServeStale policy) {
    return new StaleAnswers(policy, cache, 8, StaleAnswers.Judge.AS_IS,
        (task, delay) -> timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
  }
}
