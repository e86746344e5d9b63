package dev.dnslab.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AllocatedBytes;
import io.netty.util.internal.InternalThreadLocalMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Per-thread values of many owners under one FastThreadLocal. */
class PerThreadValuesTest {
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
  void aLaterOwnerTakesTheIndexOfACollectedOneAndMakesItsOwnValue() {
    Owner gone = new Owner("gone");
    int index = gone.values.index();
    assertThat(gone.values.get()).startsWith("gone on ");
    gone = null;

    // Owners that took another index freed meanwhile stay held, so the next one made takes the next free.
    List<Owner> others = new ArrayList<>();
    Owner later = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      System.gc();
      later = new Owner("later");
      if (later.values.index() == index) {
        break;
      }
      others.add(later);
    }

    assertThat(later.values.index()).as("the collected owner's index").isEqualTo(index);
    assertThat(later.values.get()).as("not the value the collected owner left on this thread").startsWith("later on ");
    assertThat(later.made).hasValue(1);
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
