package dev.dnslab.recursor.iterator;

/**
 * The states of one resolution, after Unbound's iterator ({@code iterator/iterator.h}). A
 * resolution moves through them until FINISHED; QUERY_TARGETS is the only state that waits for the
 * network.
 */
public enum IteratorState {
  /** Look in the cache; otherwise find the closest known delegation (or the root hints). */
  INIT_REQUEST,
  /** Pick a name server of the delegation (resolving a name server's address if needed) and ask it. */
  QUERY_TARGETS,
  /** Classify the reply and act on its type. */
  QUERY_RESPONSE,
  /** A referral: move down to the child zone's name servers (RFC 1034 5.3.3 step 4b). */
  FOLLOW_REFERRAL,
  /** A CNAME: start again with its target (RFC 1034 5.3.3 step 4c). */
  CNAME_RESTART,
  /** Done: an answer, a negative answer or SERVFAIL. */
  FINISHED
}
