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

  /**
   * How many random bytes are drawn from the SecureRandom at once: every upstream query takes two
   * for its ID and a few for its letter case, and a draw costs about the same for 256 bytes as for
   * two (a lock, a read of the kernel's pool, a SHA-1 mix), so one draw serves dozens of queries.
   * Each byte is handed out once, so the queries are exactly as unpredictable as with a draw each
   * (Unbound's arc4random buffers its ChaCha20 output the same way).
   */
  private static final int DRAWN_AT_ONCE = 256;

  private final SecureRandom random = new SecureRandom();
  /** Random bytes not handed out yet: {@code drawn[next..]}. Guarded by this. */
  private final byte[] drawn = new byte[DRAWN_AT_ONCE];
  private int next = DRAWN_AT_ONCE;

  public synchronized int nextId() {
    return nextByte() << 8 | nextByte();
  }

  private int nextByte() {
    if (next == DRAWN_AT_ONCE) {
      random.nextBytes(drawn);
      next = 0;
    }
    return drawn[next++] & 0xff;
  }

  /**
   * {@code name} with each ASCII letter upper- or lower-cased at random. Done on the name's wire
   * form (length-prefixed labels, RFC 1035 3.1), read back as it is: every upstream query pays
   * this, and printing the name and parsing the text back cost several times more. The wire form
   * is the lower-cased one (one array, no DNSOutput): every letter's case is set afresh anyway.
   */
  public Name randomiseCase(Name name) {
    try {
      return new Name(new DNSInput(randomiseCaseOnWire(name)));
    } catch (WireParseException e) {
      return name; // cannot happen: only letter case changed
    }
  }

  /**
   * The wire form of {@code name} (RFC 1035 3.1) with each ASCII letter upper- or lower-cased at
   * random, as {@link #randomiseCase} makes it: for a query rendered straight to the wire, which
   * then needs no Name of that spelling.
   */
  public byte[] randomiseCaseOnWire(Name name) {
    byte[] wire = name.toWireCanonical();
    scramble(wire);
    return wire;
  }

  /** Each letter in the labels of {@code wire} upper-cased on a random bit, eight letters to a drawn byte. */
  private synchronized void scramble(byte[] wire) {
    int bits = 0;
    int left = 0;
    for (int label = 0, length; label < wire.length && (length = wire[label] & 0xff) != 0; label += length + 1) {
      for (int i = label + 1; i <= label + length; i++) {
        int letter = (wire[i] | CASE_BIT) & 0xff;
        if (letter >= 'a' && letter <= 'z') {
          if (left == 0) {
            bits = nextByte();
            left = 8;
          }
          boolean upper = (bits & 1) == 1;
          bits >>= 1;
          left--;
          wire[i] = (byte) (upper ? letter & ~CASE_BIT : letter);
        }
      }
    }
  }
}
