package dev.dnslab.recursor.iterator;

import dev.dnslab.recursor.trace.TraceStep;
import dev.dnslab.recursor.upstream.UpstreamBlockedException;
import dev.dnslab.recursor.upstream.UpstreamRefusal;

/** How a send the upstream policy refused shows in a trace step. */
final class UpstreamRefusals {
  private UpstreamRefusals() {}

  /** The refusal behind {@code failure} as /trace shows it, or null when it was no refusal. */
  static TraceStep.Blocked traced(Throwable failure) {
    if (failure instanceof UpstreamBlockedException blocked) {
      UpstreamRefusal refusal = blocked.refusal();
      return new TraceStep.Blocked(refusal.name(), refusal.reason());
    }
    return null;
  }
}
