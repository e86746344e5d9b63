package dev.dnslab.core.authority;

import dev.dnslab.core.wire.AnswerTemplate;
import dev.dnslab.core.wire.PlainQuery;
import dev.dnslab.core.zone.ZoneSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * The answers of one version of the served zones, rendered once each ({@link AnswerTemplate}). It
 * belongs to exactly one {@link ServedZones} snapshot: a reload or a re-signing makes a new
 * snapshot and so a new, empty cache, and no answer ever mixes two zone versions.
 */
final class AnswerCache {
  /**
   * Answers kept per zone version: enough for any lab zone's names and a benchmark's popular ones;
   * a client asking for endless new names (a wildcard, a random-subdomain flood) empties it rather
   * than growing the heap.
   */
  static final int MAX_ANSWERS = 4096;

  private static final int ASCII_CASE = 'a' - 'A';

  private final ZoneSet zones;
  private final Map<Name, ?> signed;
  private final Map<Key, AnswerTemplate> answers = new ConcurrentHashMap<>();

  /**
   * What an answer depends on besides the zones. The name is kept in wire form, so that a query read
   * straight from its bytes ({@link PlainQuery}) finds the answer without a dnsjava {@link Name}, and
   * compares ignoring ASCII case, as DNS names do (RFC 4343 3). A key made from a {@link PlainQuery}
   * reads the name the query holds instead of a copy of it, and the query is read again for the
   * next packet ({@link PlainQuery#readFrom}): such a key is for a lookup only, made and dropped while
   * its packet is handled, never one to {@link #put}.
   */
  static final class Key {
    /** The name of a key made from a {@link Name}; null in a lookup key, whose name is {@link #query}'s. */
    private final byte[] qname;
    private final PlainQuery query;
    private final int qnameLength;
    private final int qtype;
    private final int qclass;
    private final boolean dnssecOk;
    private final int hash;

    Key(Name qname, int qtype, int qclass, boolean dnssecOk) {
      this(qname.toWire(), null, qtype, qclass, dnssecOk);
    }

    Key(PlainQuery query) {
      this(null, query, query.type(), query.dclass(), query.dnssecOk());
    }

    private Key(byte[] qname, PlainQuery query, int qtype, int qclass, boolean dnssecOk) {
      this.qname = qname;
      this.query = query;
      this.qnameLength = qname != null ? qname.length : query.nameLength();
      this.qtype = qtype;
      this.qclass = qclass;
      this.dnssecOk = dnssecOk;
      int h = (qtype * 31 + qclass) * 2 + (dnssecOk ? 1 : 0);
      for (int i = 0; i < qnameLength; i++) {
        h = h * 31 + lowerCase(nameByte(i));
      }
      this.hash = h;
    }

    private byte nameByte(int index) {
      return qname != null ? qname[index] : query.nameByte(index);
    }

    @Override
    public boolean equals(Object other) {
      if (!(other instanceof Key key)
          || key.hash != hash || key.qtype != qtype || key.qclass != qclass || key.dnssecOk != dnssecOk
          || key.qnameLength != qnameLength) {
        return false;
      }
      // Length bytes are at most 63, below every letter, so comparing them as letters is harmless.
      for (int i = 0; i < qnameLength; i++) {
        if (lowerCase(nameByte(i)) != lowerCase(key.nameByte(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    private static int lowerCase(byte b) {
      return b >= 'A' && b <= 'Z' ? b + ASCII_CASE : b;
    }
  }

  AnswerCache(ServedZones snapshot) {
    this.zones = snapshot.zones();
    this.signed = snapshot.signed();
  }

  /** Whether this cache holds answers of {@code snapshot} (the same zones and signatures). */
  boolean isFor(ServedZones snapshot) {
    return snapshot.zones() == zones && snapshot.signed() == signed;
  }

  AnswerTemplate get(Key key) {
    return answers.get(key);
  }

  void put(Key key, AnswerTemplate answer) {
    if (key.query != null) {
      throw new IllegalArgumentException("a lookup key, whose name the next query read replaces, cannot be kept");
    }
    if (answers.size() >= MAX_ANSWERS) {
      answers.clear();
    }
    answers.put(key, answer);
  }
}
