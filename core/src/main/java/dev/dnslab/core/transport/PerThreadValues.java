package dev.dnslab.core.transport;

import static java.util.Objects.requireNonNull;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Supplier;

/**
 * Each thread's own value of one owner (a keyed hash, a scratch copy of a template), for the owners
 * that are made once per server: the owner holds one of these in a field and asks {@link #get}.
 *
 * <p>Why not a {@link FastThreadLocal} per owner: Netty gives every FastThreadLocal made an index of
 * its own in every thread's map and never hands an index out again, so one per instance of such an
 * owner grew every thread's map with every server the JVM ever started (a test run starts
 * hundreds). Here all values live under one FastThreadLocal, each thread holding an array of them,
 * and an instance takes an index into it the way a FastThreadLocal does, but an index goes back to
 * the next instance made once its instance has been collected: a thread's array is as long as the
 * most instances alive at once, not all there ever were. A thread finds its value at the index in
 * one look, however many owners it serves (a lab or a user may put many servers on one event-loop
 * group); an earlier version kept a thread's last 8 owners and made a value anew on every call of a
 * thread serving more.
 *
 * <p>A thread's array holds the values, not the instances (it holds each value's {@link Index}, which
 * refers to its instance weakly), so an owner and this instance are collected as if the array were
 * not there; a value must not refer to its owner or to this instance, or neither would ever be. A
 * value stays in a thread's array until a later instance with the same index asks on that thread,
 * or the thread ends. The index is compared by identity, so a later instance never gets a value an
 * earlier one made.
 *
 * @param <V> the value; a thread's own, so it need not be thread-safe
 */
public final class PerThreadValues<V> {
  /**
   * A thread's values, each instance's index at {@code 2 * index} and its value just after: one
   * array, replaced by a longer one when an instance with a higher index asks, so a found value
   * costs the thread-local's own look-up and one array's.
   */
  private static final FastThreadLocal<Object[]> VALUES_OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected Object[] initialValue() {
      return new Object[16];
    }
  };

  private final Supplier<? extends V> make;
  private final Index index;
  /** Where this instance's index sits in a thread's array ({@code 2 * index.at}): read without the index. */
  private final int at;

  /**
   * @param make a thread's value, made on that thread at its first {@link #get}; it may capture the
   *     owner (this instance holds it), but what it returns must not refer to either (see above)
   */
  public PerThreadValues(Supplier<? extends V> make) {
    this.make = requireNonNull(make, "make");
    this.index = Indices.take(this);
    this.at = 2 * index.at;
  }

  /**
   * This thread's value: the one it got before, or a new one from {@code make} on its first call.
   * Allocates nothing when the value is found.
   */
  @SuppressWarnings("unchecked") // the index is this instance's alone: its value is what make gave
  public V get() {
    Object[] values = VALUES_OF_THREAD.get();
    if (at < values.length && values[at] == index) {
      return (V) values[at + 1];
    }
    V value = make.get();
    if (at >= values.length) {
      values = Arrays.copyOf(values, Math.max(at + 2, values.length * 2));
      VALUES_OF_THREAD.set(values);
    }
    values[at] = index;
    values[at + 1] = value;
    return value;
  }

  /** Where this instance's value sits in every thread's array: for tests. */
  int index() {
    return index.at;
  }

  /**
   * An index handed to one instance, referring to it weakly: enqueued once the instance has been
   * collected, then the index goes to the next instance made. What a thread's array holds beside a
   * value, to tell which instance made it.
   */
  private static final class Index extends WeakReference<PerThreadValues<?>> {
    final int at;

    Index(PerThreadValues<?> owner, int at, ReferenceQueue<PerThreadValues<?>> collected) {
      super(owner, collected);
      this.at = at;
    }
  }

  /**
   * The indices handed out, each reachable from here until its instance has been collected (a
   * reference must stay reachable to be enqueued), and those free again: the lowest free one is
   * handed out first, so the arrays stay as short as the instances alive.
   */
  private static final class Indices {
    private static final ReferenceQueue<PerThreadValues<?>> COLLECTED = new ReferenceQueue<>();
    private static Index[] taken = new Index[8];
    private static final BitSet FREE = new BitSet();
    private static int next;

    /** Called once per instance (a server's start): a lock is cheap next to what the owner costs. */
    static synchronized Index take(PerThreadValues<?> owner) {
      for (Index gone; (gone = (Index) COLLECTED.poll()) != null; ) {
        taken[gone.at] = null;
        FREE.set(gone.at);
      }
      int at = FREE.nextSetBit(0);
      if (at < 0) {
        at = next++;
        if (at == taken.length) {
          taken = Arrays.copyOf(taken, at * 2);
        }
      } else {
        FREE.clear(at);
      }
      Index index = new Index(owner, at, COLLECTED);
      taken[at] = index;
      return index;
    }
  }
}
