package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * Drops a share of the matching queries without a word: packet loss, or an overloaded server. The
 * choice comes from a seeded random sequence, so a scenario drops the same queries on every run.
 * RFC 1035 4.2.1 and RFC 1536 1: UDP carries no promise; resolvers retransmit after a timeout.
 */
public final class DropFault extends FaultHandler {
  private final double share;
  private final Random random;

  /**
   * @param share the part of the matching queries to drop, from 0 (none) to 1 (all)
   * @param seed the seed of the random sequence that picks them
   */
  public DropFault(QueryMatch match, double share, long seed, FaultListener listener) {
    super("drop", match, listener);
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share: " + share + " (expected: 0..1)");
    }
    this.share = share;
    this.random = new Random(seed);
  }

  @Override
  protected boolean appliesTo(DnsRequest request) {
    if (share >= 1) {
      return true;
    }
    synchronized (random) {
      return random.nextDouble() < share;
    }
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return silence();
  }

  public double share() {
    return share;
  }
}
