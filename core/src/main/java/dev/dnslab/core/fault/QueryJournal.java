package dev.dnslab.core.fault;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Everything the lab's servers received and every fault they injected, in arrival order, shared by
 * the {@link QueryRecorder}s of all servers. Safe to read from a test thread while servers write.
 * It keeps the latest {@link #DEFAULT_CAPACITY} entries of each kind, so a lab left running under
 * load does not grow without bound.
 */
public final class QueryJournal {
  /** Enough for any test, small enough (tens of MB at most) for a lab that runs for days. */
  public static final int DEFAULT_CAPACITY = 100_000;

  /** Pause between two looks at the journal while waiting; the deadline bounds the wait. */
  private static final long POLL_MILLIS = 10;

  private final int capacity;
  private final Deque<RecordedQuery> queries = new ArrayDeque<>();
  private final Deque<InjectedFault> faults = new ArrayDeque<>();

  public QueryJournal() {
    this(DEFAULT_CAPACITY);
  }

  public QueryJournal(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.capacity = capacity;
  }

  /** A recorder for the server named {@code server} that writes into this journal. */
  public QueryRecorder recorder(String server) {
    return new QueryRecorder(server, this);
  }

  synchronized void add(RecordedQuery query) {
    if (queries.size() == capacity) {
      queries.removeFirst();
    }
    queries.addLast(query);
  }

  synchronized void add(InjectedFault fault) {
    if (faults.size() == capacity) {
      faults.removeFirst();
    }
    faults.addLast(fault);
  }

  /** A snapshot of the queries received so far. */
  public synchronized List<RecordedQuery> queries() {
    return List.copyOf(queries);
  }

  public List<RecordedQuery> queries(Predicate<RecordedQuery> filter) {
    return queries().stream().filter(filter).collect(Collectors.toUnmodifiableList());
  }

  /** A snapshot of the faults injected so far. */
  public synchronized List<InjectedFault> faults() {
    return List.copyOf(faults);
  }

  /** Forgets everything recorded so far, e.g. between two steps of a test. */
  public synchronized void clear() {
    queries.clear();
    faults.clear();
  }

  /**
   * Waits until a query matching {@code filter} has been received and returns the first one.
   *
   * @throws AssertionError if none arrives within {@code timeout}; the message lists what did
   */
  public RecordedQuery awaitQuery(Predicate<RecordedQuery> filter, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (RecordedQuery query : queries()) {
        if (filter.test(query)) {
          return query;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no matching query within " + timeout + "; received:\n  "
            + queries().stream().map(RecordedQuery::toString).collect(Collectors.joining("\n  ")));
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for a query", e);
      }
    }
  }

  /** Every query and fault, one per line, for test failure messages. */
  public String dump() {
    StringBuilder out = new StringBuilder();
    queries().forEach(q -> out.append("query ").append(q).append('\n'));
    faults().forEach(f -> out.append("fault ").append(f).append('\n'));
    return out.toString();
  }
}
