package dev.dnslab.recursor.trace;

import java.util.List;

/**
 * The recursor's last priming round (RFC 9609), shown in {@code /trace} beside the walk. Documented
 * in recursor/README.md.
 *
 * @param rootServers where resolution from the root starts now
 * @param why why a resolver that has hints asks the root for {@code . NS}, in words
 * @param steps the priming queries, in the shape of the walk's steps
 */
public record Priming(RootServers rootServers, String why, List<TraceStep> steps) {
  public Priming {
    steps = List.copyOf(steps);
  }

  /** Which root server list resolution starts from. */
  public enum RootServers {
    /** The root's own NS set and addresses, from the last priming reply, cached. */
    PRIMED,
    /** The root hints: priming failed, or the primed set expired and the next round is under way. */
    HINTS,
    /** The root hints: the recursor has not primed yet. */
    NOT_PRIMED_YET
  }
}
