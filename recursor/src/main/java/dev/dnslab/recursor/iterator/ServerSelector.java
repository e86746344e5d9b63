package dev.dnslab.recursor.iterator;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Remembers how fast each name server answers (a smoothed round-trip time, as in RFC 6298 and
 * Unbound's infra cache) and picks the fastest untried one. Servers we never asked start at {@link
 * #UNKNOWN_RTT_MILLIS}, so a known fast server is preferred, and a timeout doubles a server's time
 * so the next query goes elsewhere. Also remembers servers that do not preserve the question's
 * case, so 0x20 is turned off for them only.
 *
 * <p>Only addresses of the {@link AddressFamilies} in use are chosen. Among equally good servers
 * an IPv6 address goes first, as Happy Eyeballs (RFC 8305 4) starts with IPv6 (RFC 6724 would rank
 * the lab's ULA addresses below IPv4, but a resolver that never tried IPv6 would hide the IPv6 path
 * from the learner): an IPv6-lame server is found at once, penalised, and its IPv4 address asked.
 * An IPv6 address never asked goes first even when an IPv4 address among the candidates is known
 * to be fast: one authority often serves many zones, so its IPv4 address may have been measured
 * through another zone's name server (or after one lost IPv6 reply), and the IPv6 address of a
 * name server seen for the first time would otherwise never be tried, and its lameness never shown.
 * It is asked once; its reply or timeout then ranks it like any other server.
 */
public final class ServerSelector {
  /** Unbound's UNKNOWN_SERVER_NICENESS: what an unmeasured server is assumed to take. */
  static final double UNKNOWN_RTT_MILLIS = 376;
  /** RFC 6298 2.3's alpha: how much one new sample moves the smoothed time. */
  static final double SMOOTHING = 0.125;
  /** A timed-out server is penalised up to this: Unbound's RTT_MAX_TIMEOUT. */
  static final double MAX_RTT_MILLIS = 120_000;
  /** Servers whose smoothed times differ less than this are equally good; pick one at random. */
  static final double RTT_BAND_MILLIS = 2;

  private final Map<InetAddress, Double> smoothedRtt = new ConcurrentHashMap<>();
  private final Set<InetAddress> caseScramblers = ConcurrentHashMap.newKeySet();
  /** IPv6 addresses already chosen once as never asked (see the class comment). */
  private final Set<InetAddress> chosenIpv6 = ConcurrentHashMap.newKeySet();
  private final AddressFamilies families;

  /** A selector that may choose addresses of both families. */
  public ServerSelector() {
    this(AddressFamilies.BOTH);
  }

  public ServerSelector(AddressFamilies families) {
    this.families = Objects.requireNonNull(families, "families");
  }

  public AddressFamilies families() {
    return families;
  }

  /** The best of {@code candidates} in a family in use, or null when there is none. */
  public InetAddress choose(List<InetAddress> candidates) {
    // Loops rather than streams: this runs for every upstream query.
    List<InetAddress> usable = new ArrayList<>(candidates.size());
    List<InetAddress> untriedIpv6 = null;
    for (InetAddress candidate : candidates) {
      if (families.permits(candidate)) {
        usable.add(candidate);
        if (candidate instanceof Inet6Address && !smoothedRtt.containsKey(candidate)
            && !chosenIpv6.contains(candidate)) {
          untriedIpv6 = untriedIpv6 == null ? new ArrayList<>(2) : untriedIpv6;
          untriedIpv6.add(candidate);
        }
      }
    }
    if (usable.isEmpty()) {
      return null;
    }
    if (untriedIpv6 != null) {
      InetAddress first = untriedIpv6.get(ThreadLocalRandom.current().nextInt(untriedIpv6.size()));
      // Once only, whatever comes of it: a send that never gets a time (refused by the upstream
      // policy, a priming error) must not put this address first for every later resolution.
      chosenIpv6.add(first);
      return first;
    }
    // Each time read once: other resolutions update them meanwhile, and a second read that found
    // the best server slower than the first would leave the band empty.
    double[] rtts = new double[usable.size()];
    double best = Double.MAX_VALUE;
    for (int i = 0; i < rtts.length; i++) {
      rtts[i] = rttMillis(usable.get(i));
      best = Math.min(best, rtts[i]);
    }
    List<InetAddress> band = new ArrayList<>(rtts.length);
    List<InetAddress> ipv6 = new ArrayList<>(rtts.length);
    for (int i = 0; i < rtts.length; i++) {
      if (rtts[i] <= best + RTT_BAND_MILLIS) {
        band.add(usable.get(i));
        if (usable.get(i) instanceof Inet6Address) {
          ipv6.add(usable.get(i));
        }
      }
    }
    List<InetAddress> preferred = ipv6.isEmpty() ? band : ipv6;
    return preferred.get(ThreadLocalRandom.current().nextInt(preferred.size()));
  }

  public double rttMillis(InetAddress server) {
    return smoothedRtt.getOrDefault(server, UNKNOWN_RTT_MILLIS);
  }

  public void replied(InetAddress server, Duration rtt) {
    double sample = rtt.toNanos() / 1e6;
    smoothedRtt.merge(server, sample, (old, s) -> old == UNKNOWN_RTT_MILLIS ? s : (1 - SMOOTHING) * old + SMOOTHING * s);
  }

  public void timedOut(InetAddress server, Duration timeout) {
    smoothedRtt.merge(server, (double) timeout.toMillis(),
        (old, t) -> Math.min(MAX_RTT_MILLIS, Math.max(old * 2, t)));
  }

  public boolean preservesCase(InetAddress server) {
    return !caseScramblers.contains(server);
  }

  public void doesNotPreserveCase(InetAddress server) {
    caseScramblers.add(server);
  }

  /** Smoothed times by server, for {@code /servers}-style inspection and tests. */
  public Map<InetAddress, Double> snapshot() {
    return Map.copyOf(smoothedRtt);
  }
}
