package dev.dnslab.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AllocatedBytes;
import io.netty.util.internal.InternalThreadLocalMap;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Per-thread values of many owners under one FastThreadLocal. */
class PerThreadValuesTest {
  /** Bounds each wait for the collector: a loaded two-core machine runs it and the reference handler late. */
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  /** An owner whose values say which owner made them, on which thread, and that counts them. */
  private static final class Owner {
    final String name;
    final AtomicInteger made = new AtomicInteger();
    final PerThreadValues<String> values = new PerThreadValues<>(this::value);

    Owner(String name) {
      this.name = name;
    }

    private String value() {
      made.incrementAndGet();
      return name + " on " + Thread.currentThread().getName() + " " + System.identityHashCode(new Object());
    }
  }

  /** Owners a test keeps from being collected, so their indices stay taken. */
  private final List<Owner> alive = new ArrayList<>();

  @Test
  void givesAnOwnerTheSameValueOnOneThreadAndAnotherOnAnotherThread() {
    Owner owner = new Owner("a");

    String first = owner.values.get();
    String again = owner.values.get();
    String elsewhere = CompletableFuture.supplyAsync(owner.values::get).join();

    assertThat(again).isSameAs(first);
    assertThat(elsewhere).isNotSameAs(first).startsWith("a on ");
    assertThat(owner.made).hasValue(2);
  }

  @Test
  void keepsTheValueOfEveryOwnerOfAThreadServingManyMadeOnce() {
    List<Owner> owners = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      owners.add(new Owner("owner " + i));
      values.add(owners.get(i).values.get());
    }

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < owners.size(); i++) {
        assertThat(owners.get(i).values.get()).as("owner %d, round %d", i, round).isSameAs(values.get(i));
      }
    }
    for (Owner owner : owners) {
      assertThat(owner.made).as(owner.name).hasValue(1);
    }
  }

  @Test
  void findsTheValuesOfManyOwnersWithoutAllocating() {
    List<Owner> owners = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      owners.add(new Owner("owner " + i));
    }
    Runnable askEach = () -> owners.forEach(owner -> owner.values.get());

    long perRound = AllocatedBytes.perCall(50_000, askEach);

    // 1M values found: less than a byte each leaves room for the counter's own noise, not an object.
    assertThat(perRound).isLessThan(owners.size());
  }

  @Test
  void aLaterOwnerTakesTheIndexOfACollectedOneAndMakesItsOwnValue() throws InterruptedException {
    // given an owner that left its value on this thread and has been collected
    Owner gone = new Owner("gone");
    int index = gone.values.index();
    assertThat(gone.values.get()).startsWith("gone on ");
    ReferenceQueue<Owner> cleared = new ReferenceQueue<>();
    WeakReference<Owner> goneWeakly = new WeakReference<>(gone, cleared);
    gone = null;
    awaitCollected(goneWeakly, cleared);

    // when owners are made until one takes no lower index than the collected owner's
    Owner later = firstOwnerAtOrAbove(index);

    // then it took the collected owner's index, and made its own value rather than take the one left there
    assertThat(later.values.index()).as("the collected owner's index").isEqualTo(index);
    assertThat(later.values.get()).as("not the value the collected owner left on this thread").startsWith("later on ");
    assertThat(later.made).hasValue(1);
  }

  /** Collects until {@code weakly} has been cleared and queued; a loaded machine may take several tries. */
  private static void awaitCollected(WeakReference<Owner> weakly, ReferenceQueue<Owner> cleared)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    do {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("owner not collected within " + DEADLINE);
      }
      System.gc();
    } while (cleared.remove(100) != weakly);
  }

  /**
   * The first owner made that takes {@code index} or a higher one, once {@code index} is free in
   * the class. Those that take a lower one are kept alive meanwhile: other tests' collected owners
   * free indices too, and the lowest free one is handed out first. An index is free once its
   * instance's own weak reference, cleared by the same collection as the test's but queued apart by
   * the JVM's reference handler, has been queued: the next owner made polls the queue. While one
   * taking a new index above {@code index} may still mean it has not been queued, owners are made a
   * little apart, up to the deadline; the last one is returned, to fail the assertions.
   */
  private Owner firstOwnerAtOrAbove(int index) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Owner owner = new Owner("later");
      if (owner.values.index() == index || owner.values.index() > index && System.nanoTime() > deadline) {
        return owner;
      }
      alive.add(owner);
      if (owner.values.index() > index) {
        Thread.sleep(10);
      }
    }
  }

  @Test
  void takesNoIndexOfNettysThreadLocalMapsPerOwner() {
    new Owner("first").values.get();
    int lastIndex = InternalThreadLocalMap.lastVariableIndex();

    for (int i = 0; i < 100; i++) {
      new Owner("owner " + i).values.get();
    }

    assertThat(InternalThreadLocalMap.lastVariableIndex()).isEqualTo(lastIndex);
  }
}
