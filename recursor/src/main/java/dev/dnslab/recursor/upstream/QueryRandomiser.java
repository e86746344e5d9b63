package dev.dnslab.recursor.upstream;

import java.security.SecureRandom;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * The unpredictable parts of an upstream query (RFC 5452 9.2): a random 16-bit ID and, with 0x20
 * (draft-vixie-dnsext-dns0x20), random letter case in the question name. A spoofer then has to guess
 * the ID, the source port (a fresh socket per query) and the case of every letter.
 */
public final class QueryRandomiser {
  /** ASCII's case bit: 'a' is 'A' | 0x20, hence the draft's name. */
  private static final int CASE_BIT = 0x20;

  private final SecureRandom random = new SecureRandom();

  public int nextId() {
    return random.nextInt(0x10000);
  }

  /**
   * {@code name} with each ASCII letter upper- or lower-cased at random. Done on the name's wire
   * form (length-prefixed labels, RFC 1035 3.1), read back as it is: every upstream query pays
   * this, and printing the name and parsing the text back cost several times more.
   */
  public Name randomiseCase(Name name) {
    byte[] wire = name.toWire();
    byte[] bits = new byte[(wire.length + 7) / 8];
    random.nextBytes(bits);
    for (int label = 0, length; label < wire.length && (length = wire[label] & 0xff) != 0; label += length + 1) {
      for (int i = label + 1; i <= label + length; i++) {
        int letter = (wire[i] | CASE_BIT) & 0xff;
        if (letter >= 'a' && letter <= 'z') {
          boolean upper = (bits[i / 8] >> (i % 8) & 1) == 1;
          wire[i] = (byte) (upper ? letter & ~CASE_BIT : letter);
        }
      }
    }
    try {
      return new Name(new DNSInput(wire));
    } catch (WireParseException e) {
      return name; // cannot happen: only letter case changed
    }
  }
}
