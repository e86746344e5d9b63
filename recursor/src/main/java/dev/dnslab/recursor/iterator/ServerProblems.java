package dev.dnslab.recursor.iterator;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;

/**
 * What went wrong with each server of one delegation point, so that a SERVFAIL can say why in an
 * RFC 8914 Extended DNS Error: which code, and an EXTRA-TEXT naming the zone and every server with
 * what it did ("lame.test. 127.54.3.13 REFUSED: not authoritative"). Used by one resolution at a
 * time, like its {@link DelegationPoint}; a referral starts a new one.
 */
final class ServerProblems {
  /** One kind per RFC 8914 code it maps to. */
  enum Kind {
    /** No reply in time (RFC 8914 4.23, 22 No Reachable Authority). */
    TIMEOUT(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY),
    /** The upstream allow-list forbade sending: the server cannot be reached from here (22). */
    BLOCKED(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY),
    /** REFUSED, NOTAUTH or an upward referral: not authoritative (RFC 8914 4.21, 20 Not Authoritative). */
    LAME(ExtendedErrorCodeOption.NOT_AUTHORITATIVE),
    /** A socket error, or a reply unusable for another reason: SERVFAIL, FORMERR, an answer that
     *  does not answer (RFC 8914 4.24, 23 Network Error). */
    ERROR(ExtendedErrorCodeOption.NETWORK_ERROR);

    final int edeCode;

    Kind(int edeCode) {
      this.edeCode = edeCode;
    }
  }

  private record Problem(Kind kind, String detail) {}

  private final Name zone;
  // The last problem of each server, in the order they were asked. Made on the first problem: a
  // delegation point is made for every miss, and its first server usually answers.
  private Map<InetAddress, Problem> problems;

  ServerProblems(Name zone) {
    this.zone = zone;
  }

  Name zone() {
    return zone;
  }

  void record(InetAddress server, Kind kind, String detail) {
    if (problems == null) {
      problems = new LinkedHashMap<>();
    }
    problems.remove(server);
    problems.put(server, new Problem(kind, detail));
  }

  boolean isEmpty() {
    return problems == null || problems.isEmpty();
  }

  /**
   * The RFC 8914 code for SERVFAIL: the servers' common one when they all failed the same way;
   * else No Reachable Authority when one timed out (a timeout hides what that server would have
   * said), else Network Error. No servers asked at all (no address found for any name server) is
   * No Reachable Authority too.
   */
  int edeCode() {
    if (isEmpty()) {
      return ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY;
    }
    int first = problems.values().iterator().next().kind().edeCode;
    if (problems.values().stream().allMatch(p -> p.kind().edeCode == first)) {
      return first;
    }
    boolean timedOut = problems.values().stream().anyMatch(p -> p.kind() == Kind.TIMEOUT);
    return timedOut ? ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY : ExtendedErrorCodeOption.NETWORK_ERROR;
  }

  /** "zone: 127.0.0.1 timed out; 127.0.0.2 REFUSED: ..." for the EXTRA-TEXT. */
  String describe() {
    if (isEmpty()) {
      return "no address found for any name server of " + zone;
    }
    return "servers of " + zone + ": " + problems.entrySet().stream()
        .map(e -> e.getKey().getHostAddress() + " " + e.getValue().detail())
        .collect(Collectors.joining("; "));
  }
}
