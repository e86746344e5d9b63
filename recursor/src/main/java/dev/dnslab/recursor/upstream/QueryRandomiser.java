package dev.dnslab.recursor.upstream;

import java.security.SecureRandom;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The unpredictable parts of an upstream query (RFC 5452 9.2): a random 16-bit ID and, with 0x20
 * (draft-vixie-dnsext-dns0x20), random letter case in the question name. A spoofer then has to guess
 * the ID, the source port (a fresh socket per query) and the case of every letter.
 */
public final class QueryRandomiser {
  private final SecureRandom random = new SecureRandom();

  public int nextId() {
    return random.nextInt(0x10000);
  }

  /** {@code name} with each ASCII letter upper- or lower-cased at random. */
  public Name randomiseCase(Name name) {
    String text = name.toString();
    StringBuilder mixed = new StringBuilder(text.length());
    byte[] bits = new byte[(text.length() + 7) / 8];
    random.nextBytes(bits);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean upper = (bits[i / 8] >> (i % 8) & 1) == 1;
      if (c < 128 && Character.isLetter(c)) {
        mixed.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      } else {
        mixed.append(c);
      }
    }
    try {
      return Name.fromString(mixed.toString());
    } catch (TextParseException e) {
      return name; // cannot happen: only letter case changed
    }
  }
}
