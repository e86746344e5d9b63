package dev.dnslab.recursor.iterator;

import java.util.HashSet;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The name servers whose addresses one client query is looking up right now, along its chain of
 * dependent lookups (RFC 1034 5.3.3 step 3: an NS without glue is resolved first). A name already
 * on the chain is a cycle: the zone's servers live in a zone whose servers live in the first (A's
 * servers in B, B's in A, no glue). Looking it up again could never finish, so the resolution skips
 * that server and tries the others; with none left it fails at once instead of nesting until its
 * limits run out (Unbound's {@code iter_ns_cycle} check does the same).
 */
final class NameServerLookups {
  private final Set<Name> inProgress = new HashSet<>();

  /** Starts looking {@code nameServer} up; false (and nothing started) when that would be a cycle. */
  synchronized boolean start(Name nameServer) {
    return inProgress.add(nameServer);
  }

  /** The lookup of {@code nameServer} ended, with or without addresses. */
  synchronized void finish(Name nameServer) {
    inProgress.remove(nameServer);
  }
}
