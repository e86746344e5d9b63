package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.fault.DropFault;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A DS or DNSKEY fetch is timed on the validator's {@link dev.dnslab.core.transport.Timers}, the recursor's event loops,
 * so a validation whose fetch times out goes on, and answers, on the timer's loop (not on the JDK's
 * one Delayer thread, as with orTimeout), with the same indeterminate verdict (RFC 8914 5); a fetch
 * answered in time takes its timer back.
 */
class KeyFetchTimersTest {
  private static final Name GOOGLE = Name.fromConstantString("google.com.");
  private static final Duration KEY_FETCH_TIMEOUT = Duration.ofMillis(200);
  private static final ValidationLimits QUICK_KEY_FETCHES = withKeyFetchTimeout(KEY_FETCH_TIMEOUT);

  private static SignedLabAuthorities lab;
  /** google.com's DNSKEY question is never answered. */
  private static SignedLabAuthorities silentKeys;
  private final DefaultEventLoop loop = new DefaultEventLoop(new DefaultThreadFactory("key-fetch-timers"));
  private final ExecutorService later = Executors.newSingleThreadExecutor();

  @BeforeAll
  static void signLab() throws Exception {
    lab = SignedLabAuthorities.shared();
    silentKeys = lab.withFault(LabRole.AUTHORITATIVE,
        new DropFault(new QueryMatch(List.of(GOOGLE), Set.of(Type.DNSKEY)), 1, 1, FaultListener.NONE));
  }

  @AfterEach
  void stop() throws Exception {
    later.shutdownNow();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
  }

  @Test
  void goesOnWithAValidationWhoseKeyFetchTimedOutOnTheTimersLoop() throws Exception {
    Validator validator = new Validator(silentKeys.anchors(), silentKeys, QUICK_KEY_FETCHES, Clock.systemUTC(),
        (task, delay) -> loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
    SignedAnswer answer = lab.ask(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);

    CompletableFuture<Validation> validation = validator.validate(answer);
    CompletableFuture<Thread> endedOn = validation.thenApply(done -> Thread.currentThread());

    assertThat(endedOn.get(10, TimeUnit.SECONDS)).isSameAs(threadOf(loop));
    assertTimedOut(validation.get());
  }

  @Test
  void goesOnWithATimedOutValidationOutsideARecursorOffTheJdksDelayerThread() throws Exception {
    // A validator built without timers (a test's, a tool's) uses Netty's one global timer thread.
    Validator validator = new Validator(silentKeys.anchors(), silentKeys, QUICK_KEY_FETCHES, Clock.systemUTC());
    SignedAnswer answer = lab.ask(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);

    CompletableFuture<Validation> validation = validator.validate(answer);
    CompletableFuture<Boolean> endedOnGlobal = validation.thenApply(done -> GlobalEventExecutor.INSTANCE.inEventLoop());

    assertThat(endedOnGlobal.get(10, TimeUnit.SECONDS)).as("ended on Netty's global timer thread").isTrue();
    assertTimedOut(validation.get());
  }

  @Test
  void takesBackTheTimerOfEveryFetchAnsweredInTime() throws Exception {
    // Each fetch is answered from another thread once its timer is armed (never before: a fetch
    // answered at once is not timed at all). The timers are an hour: only the answer can end a
    // fetch, however late a loaded machine runs that thread.
    AtomicReference<Runnable> answerPending = new AtomicReference<>();
    KeySource answeredOnceTimed = (name, type) -> {
      CompletableFuture<SignedAnswer> fetched = new CompletableFuture<>();
      answerPending.set(() -> lab.fetch(name, type).thenAccept(fetched::complete));
      return fetched;
    };
    List<Future<?>> timers = new CopyOnWriteArrayList<>();
    Validator validator = new Validator(lab.anchors(), answeredOnceTimed, withKeyFetchTimeout(Duration.ofHours(1)),
        Clock.systemUTC(), (task, delay) -> {
          Future<?> timer = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
          timers.add(timer);
          later.execute(answerPending.getAndSet(null));
          return timer;
        });
    SignedAnswer answer = lab.ask(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);

    Validation validation = validator.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(validation.verdict().security()).isEqualTo(Security.SECURE);
    assertThat(timers).hasSize(validation.work().keyFetches()).isNotEmpty().allSatisfy(timer ->
        assertThat(timer.isCancelled()).as("taken back").isTrue());
  }

  @Test
  void judgesAFetchIndeterminateAtOnceWhenTheTimersAreShuttingDown() throws Exception {
    Validator validator = new Validator(silentKeys.anchors(), silentKeys, withKeyFetchTimeout(Duration.ofHours(1)),
        Clock.systemUTC(), (task, delay) -> {
          throw new RejectedExecutionException("shutting down");
        });
    SignedAnswer answer = lab.ask(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);

    assertTimedOut(validator.validate(answer).get(10, TimeUnit.SECONDS));
  }

  private static void assertTimedOut(Validation validation) {
    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.INDETERMINATE);
    assertThat(validation.verdict().edeCode()).isEqualTo(ExtendedErrorCodeOption.DNSSEC_INDETERMINATE);
    assertThat(validation.verdict().reason()).contains("could not fetch google.com./DNSKEY", "timed out or failed");
  }

  private static Thread threadOf(DefaultEventLoop loop) throws Exception {
    return loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
  }

  private static ValidationLimits withKeyFetchTimeout(Duration timeout) {
    ValidationLimits d = ResolutionLimits.DEFAULT.validation();
    return new ValidationLimits(d.maxKeysPerTag(), d.maxSignatureVerifications(), d.maxNsec3Hashes(),
        d.maxNsec3Iterations(), d.maxChainDepth(), d.maxKeyFetches(), timeout, d.maxKeyTtl(), d.bogusKeyTtl(),
        d.maxBogusKeyTtl(), d.keyCacheSize());
  }
}
