package dev.dnslab.recursor.trace;

import java.util.ArrayList;
import java.util.List;

/** Collects the steps of one traced resolution (sub-resolutions included), in order. */
public final class TraceRecorder {
  private final List<TraceStep> steps = new ArrayList<>();

  public synchronized int nextStepNumber() {
    return steps.size() + 1;
  }

  public synchronized void add(TraceStep step) {
    steps.add(step);
  }

  public synchronized List<TraceStep> steps() {
    return List.copyOf(steps);
  }
}
