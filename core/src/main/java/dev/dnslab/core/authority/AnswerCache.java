package dev.dnslab.core.authority;

import dev.dnslab.core.wire.AnswerTemplate;
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

  private final ZoneSet zones;
  private final Map<Name, ?> signed;
  private final Map<Key, AnswerTemplate> answers = new ConcurrentHashMap<>();

  /** What an answer depends on besides the zones; the name compares ignoring case, as DNS does. */
  record Key(Name qname, int qtype, int qclass, boolean dnssecOk) {}

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
    if (answers.size() >= MAX_ANSWERS) {
      answers.clear();
    }
    answers.put(key, answer);
  }
}
