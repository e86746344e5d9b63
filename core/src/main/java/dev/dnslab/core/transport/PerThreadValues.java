package dev.dnslab.core.transport;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.function.Function;

/**
 * Each thread's own value of an owner (a keyed hash, a scratch copy of a template), for the owners
 * that are made once per server: all of them under one {@link FastThreadLocal}. Netty gives every
 * FastThreadLocal made an index of its own in every thread's map and never hands an index out
 * again, so one per instance of such an owner grew every thread's map with every server the JVM
 * ever started (a test run starts hundreds). Here a thread keeps the values of the last {@link
 * #SLOTS} owners it asked for, found by identity: an event loop serves one server, so its few
 * owners stay found; one it has not asked for lately gets a new value, as on its first call.
 *
 * <p>An owner has one value per thread: an owner needing two keeps them in one object.
 */
public final class PerThreadValues {
  /**
   * Owners a thread keeps values for: an authority's loop asks for two (its cookie hash and its
   * answer OPT), so this leaves room for a lab that puts several servers on one loop.
   */
  static final int SLOTS = 8;

  private static final FastThreadLocal<Slots> SLOTS_OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected Slots initialValue() {
      return new Slots();
    }
  };

  private PerThreadValues() {}

  /**
   * This thread's value of {@code owner}: the one it got before, or a new one from {@code make}
   * (applied to {@code owner}, on this thread) on its first call or after {@link #SLOTS} other
   * owners took its place. Allocates nothing when the value is found; {@code make} should be a
   * method reference or a lambda that captures nothing, so that the call allocates nothing either.
   */
  @SuppressWarnings("unchecked") // an owner's slot only ever holds what its own make gave
  public static <O, V> V of(O owner, Function<? super O, ? extends V> make) {
    Slots slots = SLOTS_OF_THREAD.get();
    Object[] owners = slots.owners;
    for (int i = 0; i < SLOTS; i++) {
      if (owners[i] == owner) {
        return (V) slots.values[i];
      }
    }
    V value = make.apply(owner);
    int slot = slots.next;
    owners[slot] = owner;
    slots.values[slot] = value;
    slots.next = (slot + 1) % SLOTS;
    return value;
  }

  /** A thread's owners and their values at the same index; {@code next} is the slot to fill next. */
  private static final class Slots {
    final Object[] owners = new Object[SLOTS];
    final Object[] values = new Object[SLOTS];
    int next;
  }
}
