package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.upstream.QueryRandomiser;
import org.xbill.DNS.Name;

/**
 * 0x20 (draft-vixie-dnsext-dns0x20): random letter case in the question of an upstream query,
 * which the server must echo byte for byte, so a spoofer also has to guess the case of each
 * letter. Servers that do not echo it are asked again without it (see {@link ServerSelector}); the
 * echo is checked on the reply's bytes (UpstreamReply.questionAsSent).
 */
final class CaseRandomisation {
  private final QueryRandomiser randomiser;

  CaseRandomisation(QueryRandomiser randomiser) {
    this.randomiser = requireNonNull(randomiser, "randomiser");
  }

  /**
   * {@code name}'s wire form as it goes out, letter case scrambled; null when not scrambled (the
   * name goes as it is).
   */
  byte[] onWire(Name name, boolean scramble) {
    return scramble ? randomiser.randomiseCaseOnWire(name) : null;
  }
}
