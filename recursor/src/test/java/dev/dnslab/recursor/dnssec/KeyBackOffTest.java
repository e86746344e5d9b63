package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.recursor.iterator.ResolutionLimits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The back-off of a failed key verdict (RFC 9520 3.2: a failure is cached at least a second,
 * longer while retries fail again; at most {@link ValidationLimits#maxBogusKeyTtl()} here). Only a
 * retry counts: a fetch asked once the last verdict had run out. Validations that asked before it,
 * and time out on their own timers later, are the failure already counted. Nor does a late failure
 * undo keys another validation has validated meanwhile.
 */
class KeyBackOffTest {
  private static final Name GOOGLE = Name.fromConstantString("google.com.");
  private static SignedLabAuthorities lab;

  private final MovableClock clock = new MovableClock();
  private final HeldKeys keys = new HeldKeys();
  private Validator validator;
  private SignedAnswer answer;

  @BeforeAll
  static void signLab() throws Exception {
    lab = SignedLabAuthorities.shared();
  }

  @Test
  void doesNotDoubleTheBackOffForAFailedFetchAskedBeforeTheVerdict() throws Exception {
    start();
    CompletableFuture<Validation> first = validateAsking(1);
    clock.advance(Duration.ofMillis(500));
    CompletableFuture<Validation> second = validateAsking(2);
    keys.failOldest();
    first.get(10, TimeUnit.SECONDS);
    // The second validation's fetch fails 1.5 s after the first's: the 1 s verdict has run out.
    clock.advance(Duration.ofMillis(1500));
    keys.failOldest();
    second.get(10, TimeUnit.SECONDS);

    CompletableFuture<Validation> retry = validator.validate(answer);

    // google.com/DNSKEY asked once the first verdict (1 s) ran out (on a2ce98d it was kept 2 s).
    keys.awaitAsked(3);
    keys.failOldest();
    retry.get(10, TimeUnit.SECONDS);
    // The retry failed again: now the verdict is kept 2 s.
    clock.advance(Duration.ofMillis(1999));
    validator.validate(answer).get(10, TimeUnit.SECONDS);
    assertThat(keys.asked()).as("google.com/DNSKEY asked within 2 s of the retry failing").isEqualTo(3);
    clock.advance(Duration.ofMillis(1));
    CompletableFuture<Validation> nextRetry = validateAsking(4);
    keys.failOldest();
    nextRetry.get(10, TimeUnit.SECONDS);
  }

  @Test
  void doublesTheBackOffForEachRetryThatFailsAgainUpToItsCap() throws Exception {
    start();
    List<Long> kept = List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L);

    for (int retry = 0; retry < kept.size(); retry++) {
      CompletableFuture<Validation> fetching = validateAsking(retry + 1);
      keys.failOldest();
      assertThat(fetching.get(10, TimeUnit.SECONDS).verdict().security()).isEqualTo(Security.INDETERMINATE);
      Duration ttl = Duration.ofSeconds(kept.get(retry));
      clock.advance(ttl.minusMillis(1));
      Validation cached = validator.validate(answer).get(10, TimeUnit.SECONDS);

      assertThat(cached.verdict().security()).isEqualTo(Security.INDETERMINATE);
      assertThat(keys.asked()).as("failure %d still kept %s after it", retry + 1, ttl.minusMillis(1))
          .isEqualTo(retry + 1);
      clock.advance(Duration.ofMillis(1));
    }
  }

  @Test
  void keepsTheValidatedKeysWhenAFetchAskedBeforeThemFailsLate() throws Exception {
    start();
    CompletableFuture<Validation> late = validateAsking(1);
    clock.advance(Duration.ofMillis(500));
    CompletableFuture<Validation> answered = validateAsking(2);
    keys.answerNewest();
    assertThat(answered.get(10, TimeUnit.SECONDS).verdict().security()).isEqualTo(Security.SECURE);
    // The first validation's fetch times out on its own timer, after the keys were validated.
    clock.advance(Duration.ofMillis(4000));
    keys.failOldest();
    Validation lateVerdict = late.get(10, TimeUnit.SECONDS);

    Validation after = validator.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(after.verdict().security()).as("a validation after the late failure").isEqualTo(Security.SECURE);
    assertThat(keys.asked()).as("google.com/DNSKEY asked while its validated keys are kept").isEqualTo(2);
    // Its own answer is checked with the keys known by then: the same data, the same validated keys.
    assertThat(lateVerdict.verdict().security()).as("the validation whose fetch failed").isEqualTo(Security.SECURE);
  }

  @Test
  void keepsTheValidatedKeysWhenAFetchAskedBeforeThemIsAnsweredWithoutKeys() throws Exception {
    start();
    CompletableFuture<Validation> late = validateAsking(1);
    CompletableFuture<Validation> answered = validateAsking(2);
    keys.answerNewest();
    answered.get(10, TimeUnit.SECONDS);
    // A bogus reply to the first fetch (no DNSKEY set), come after the good one.
    keys.answerOldestWithoutKeys();
    Validation lateVerdict = late.get(10, TimeUnit.SECONDS);

    Validation after = validator.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(after.verdict().security()).isEqualTo(Security.SECURE);
    assertThat(lateVerdict.verdict().security()).isEqualTo(Security.SECURE);
    assertThat(keys.asked()).isEqualTo(2);
  }

  @Test
  void failsARefetchOnceTheValidatedKeysHaveExpired() throws Exception {
    start();
    CompletableFuture<Validation> first = validateAsking(1);
    keys.answerNewest();
    assertThat(first.get(10, TimeUnit.SECONDS).verdict().security()).isEqualTo(Security.SECURE);
    SignedAnswer dnskey = lab.fetch(GOOGLE, Type.DNSKEY).get(10, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(ChainOfTrust.find(dnskey.answer(), GOOGLE, Type.DNSKEY).getTTL()));

    CompletableFuture<Validation> refetch = validateAsking(2);
    keys.failOldest();

    assertThat(refetch.get(10, TimeUnit.SECONDS).verdict().security()).isEqualTo(Security.INDETERMINATE);
    assertThat(validator.validate(answer).get(10, TimeUnit.SECONDS).verdict().security())
        .as("the failure kept (RFC 9520 3.4)").isEqualTo(Security.INDETERMINATE);
    assertThat(keys.asked()).isEqualTo(2);
  }

  /** Validates the answer; returns once its google.com/DNSKEY question is asked, the {@code count}th so far. */
  private CompletableFuture<Validation> validateAsking(int count) throws InterruptedException {
    CompletableFuture<Validation> validating = validator.validate(answer);
    keys.awaitAsked(count);
    return validating;
  }

  /** A validator over the lab whose root and com keys are validated and cached, google.com's DNSKEY held. */
  private void start() throws Exception {
    validator = new Validator(lab.anchors(), keys, ResolutionLimits.DEFAULT.validation(), clock);
    answer = lab.ask(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);
  }

  /** The lab, except that each google.com/DNSKEY question waits until the test answers or fails it. */
  private static final class HeldKeys implements KeySource {
    private final BlockingDeque<CompletableFuture<SignedAnswer>> held = new LinkedBlockingDeque<>();
    private final AtomicInteger asked = new AtomicInteger();

    @Override
    public CompletableFuture<SignedAnswer> fetch(Name name, int type) {
      if (!name.equals(GOOGLE) || type != Type.DNSKEY) {
        return lab.fetch(name, type);
      }
      CompletableFuture<SignedAnswer> waiting = new CompletableFuture<>();
      held.add(waiting);
      asked.incrementAndGet();
      return waiting;
    }

    int asked() {
      return asked.get();
    }

    void awaitAsked(int count) throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (asked.get() < count && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      assertThat(asked.get()).as("google.com/DNSKEY questions asked").isEqualTo(count);
    }

    /** The oldest question's reply: SERVFAIL. */
    void failOldest() {
      held.remove().complete(new SignedAnswer(GOOGLE, Type.DNSKEY, Rcode.SERVFAIL, List.of(), List.of(), null));
    }

    /** The oldest question's reply: NOERROR without a DNSKEY set (bogus, RFC 4035 5.2). */
    void answerOldestWithoutKeys() {
      held.remove().complete(new SignedAnswer(GOOGLE, Type.DNSKEY, Rcode.NOERROR, List.of(), List.of(), null));
    }

    /** The newest question's reply: the lab's google.com/DNSKEY set. */
    void answerNewest() throws Exception {
      held.removeLast().complete(lab.fetch(GOOGLE, Type.DNSKEY).get(10, TimeUnit.SECONDS));
    }
  }
}
