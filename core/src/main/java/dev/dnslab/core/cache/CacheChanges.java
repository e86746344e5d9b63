package dev.dnslab.core.cache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.xbill.DNS.Name;

/**
 * Which names' cached data changed since a moment, for whoever keeps something made from the cache
 * (an answer rendered to wire format) and must drop it when the data under it changes. Every change
 * of a name's data (stored, replaced, evicted, flushed, a verdict on it made or forgotten) counts on
 * the name's stripe, one of {@value #STRIPES} chosen by the name's case-insensitive hash, so a
 * change elsewhere leaves a kept answer alone unless it shares a stripe (then the answer is only
 * rendered again).
 *
 * <p>A change is announced in three steps, {@link #starting()} before the data changes, {@link
 * #changed(Name)} after, and {@link #done()} once it is over: a reader that notes {@link #settled()}
 * before it reads the data and the stripes' {@link #stamp}s after, and finds {@link #started()} equal
 * to it once more, knows that no change was under way while it read, so the stamps describe exactly
 * the data it read. A seqlock's read side: {@link #started()} alone would miss a change announced
 * before the reader looked and finished after it had read the old data, whose stamp the reader would
 * then take for the old data's.
 */
public final class CacheChanges {
  /** A power of two: enough that a busy cache's changes spare most kept answers, 32 KiB of counters. */
  static final int STRIPES = 4096;

  /** {@link #settled()} when changes are under way. */
  public static final long UNSETTLED = -1;

  private final AtomicLong started = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

  /** Announces a change about to be made. */
  public void starting() {
    started.incrementAndGet();
  }

  /** A change of {@code name}'s data is done. */
  public void changed(Name name) {
    stripes.incrementAndGet(stripe(name));
  }

  /** Every name's data changed (a flush of everything). */
  public void changedAll() {
    for (int i = 0; i < STRIPES; i++) {
      stripes.incrementAndGet(i);
    }
  }

  /** A change announced with {@link #starting()} is over (exactly once per announcement). */
  public void done() {
    done.incrementAndGet();
  }

  /**
   * How many changes were announced so far when none is under way, else {@link #UNSETTLED}: what a
   * reader notes before it reads the data, to compare with {@link #started()} after.
   */
  public long settled() {
    long announced = started.get();
    // Read after started: a change announced after that read shows in the reader's later started().
    return done.get() == announced ? announced : UNSETTLED;
  }

  /** How many changes were announced so far. */
  public long started() {
    return started.get();
  }

  /** The stripe of {@code name}: the same for every spelling of it (RFC 4343). */
  public int stripe(Name name) {
    int hash = name.hashCode();
    return (hash ^ hash >>> 16) & (STRIPES - 1);
  }

  /** The count of changes on {@code stripe} so far. */
  public long stamp(int stripe) {
    return stripes.get(stripe);
  }
}
