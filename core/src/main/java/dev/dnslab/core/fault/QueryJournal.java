package dev.dnslab.core.fault;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Everything the lab's servers received and every fault they injected, in arrival order, shared by
 * the {@link QueryRecorder}s of all servers. Safe to read from a test thread while servers write.
 */
public final class QueryJournal {
  /** Pause between two looks at the journal while waiting; the deadline bounds the wait. */
  private static final long POLL_MILLIS = 10;

  private final List<RecordedQuery> queries = new CopyOnWriteArrayList<>();
  private final List<InjectedFault> faults = new CopyOnWriteArrayList<>();

  /** A recorder for the server named {@code server} that writes into this journal. */
  public QueryRecorder recorder(String server) {
    return new QueryRecorder(server, this);
  }

  void add(RecordedQuery query) {
    queries.add(query);
  }

  void add(InjectedFault fault) {
    faults.add(fault);
  }

  /** A snapshot of the queries received so far. */
  public List<RecordedQuery> queries() {
    return List.copyOf(queries);
  }

  public List<RecordedQuery> queries(Predicate<RecordedQuery> filter) {
    return queries.stream().filter(filter).collect(Collectors.toUnmodifiableList());
  }

  /** A snapshot of the faults injected so far. */
  public List<InjectedFault> faults() {
    return List.copyOf(faults);
  }

  /** Forgets everything recorded so far, e.g. between two steps of a test. */
  public void clear() {
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
      for (RecordedQuery query : queries) {
        if (filter.test(query)) {
          return query;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no matching query within " + timeout + "; received:\n  "
            + queries.stream().map(RecordedQuery::toString).collect(Collectors.joining("\n  ")));
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
    queries.forEach(q -> out.append("query ").append(q).append('\n'));
    faults.forEach(f -> out.append("fault ").append(f).append('\n'));
    return out.toString();
  }
}
