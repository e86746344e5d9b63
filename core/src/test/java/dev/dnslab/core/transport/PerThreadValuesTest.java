package dev.dnslab.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.InternalThreadLocalMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Per-thread values of many owners under one FastThreadLocal. */
class PerThreadValuesTest {
  /** An owner whose values say which owner made them, on which thread. */
  private record Owner(String name) {
    String value() {
      return name + " on " + Thread.currentThread().getName() + " " + System.identityHashCode(new Object());
    }
  }

  @Test
  void givesAnOwnerTheSameValueOnOneThreadAndAnotherOnAnotherThread() {
    Owner owner = new Owner("a");

    String first = PerThreadValues.of(owner, Owner::value);
    String again = PerThreadValues.of(owner, Owner::value);
    String elsewhere = CompletableFuture.supplyAsync(() -> PerThreadValues.of(owner, Owner::value)).join();

    assertThat(again).isSameAs(first);
    assertThat(elsewhere).isNotSameAs(first).startsWith("a on ");
  }

  @Test
  void keepsTheValuesOfItsLastOwnersAndMakesANewOneForAnOwnerPushedOut() {
    List<Owner> owners = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < PerThreadValues.SLOTS; i++) {
      owners.add(new Owner("owner " + i));
      values.add(PerThreadValues.of(owners.get(i), Owner::value));
    }
    for (int i = 0; i < PerThreadValues.SLOTS; i++) {
      assertThat(PerThreadValues.of(owners.get(i), Owner::value)).as("owner %d", i).isSameAs(values.get(i));
    }

    PerThreadValues.of(new Owner("one more"), Owner::value);

    assertThat(PerThreadValues.of(owners.get(0), Owner::value)).as("the first, pushed out")
        .isNotSameAs(values.get(0)).startsWith("owner 0 on ");
  }

  @Test
  void takesNoIndexOfNettysThreadLocalMapsPerOwner() {
    PerThreadValues.of(new Owner("first"), Owner::value);
    int lastIndex = InternalThreadLocalMap.lastVariableIndex();

    for (int i = 0; i < 100; i++) {
      PerThreadValues.of(new Owner("owner " + i), Owner::value);
    }

    assertThat(InternalThreadLocalMap.lastVariableIndex()).isEqualTo(lastIndex);
  }
}
