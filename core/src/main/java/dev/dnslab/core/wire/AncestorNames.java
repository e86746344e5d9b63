package dev.dnslab.core.wire;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Name;

/**
 * The ancestors of names for walks up the tree (the deepest cached zone cut, the deepest key-cache
 * entry), handed out again while the names walked share them. Under a flood of new names below one
 * zone each walk made a Name and its label bytes per label it stepped over, to look up zones that
 * were the same for every query: ~160 bytes an answer for the cut, ~180 for the key cache
 * (bench/recursor/profile.sh PROFILE=jfr, miss-unsigned). One slot per label count, the last
 * ancestor made with that many labels; a name that misses is made as before and takes the slot.
 * Only lower-case names are held, and handed out only for a lower-case name, so an ancestor handed
 * out is the name's own suffix letter for letter: a zone cut named after it keeps the question's
 * letter case. The slots are atomic references: a Name's fields are not final, and the slots are
 * shared by the event loops.
 */
public final class AncestorNames {
  /** An absolute name has at most 127 labels besides the root's (RFC 1035 2.3.4: 255 octets). */
  private static final int MAX_LABELS = 128;

  private final AtomicReferenceArray<Name> byLabels = new AtomicReferenceArray<>(MAX_LABELS + 1);

  /** {@code name} without its first {@code strip} labels, as {@code new Name(name, strip)} makes it. */
  public Name strip(Name name, int strip) {
    if (strip == 0) {
      return name;
    }
    int labels = name.labels() - strip;
    Name held = labels >= 0 && labels <= MAX_LABELS ? byLabels.get(labels) : null;
    // subdomain first: it compares the held name's bytes with the tail of name's, no copy.
    if (held != null && name.subdomain(held) && NameSpelling.isLowerCase(name)) {
      return held;
    }
    Name made = new Name(name, strip);
    if (labels <= MAX_LABELS && NameSpelling.isLowerCase(made)) {
      byLabels.set(labels, made);
    }
    return made;
  }

  /** The parent of {@code name}, or null for the root (and for a relative name of one label). */
  public Name parent(Name name) {
    return name.labels() <= 1 ? null : strip(name, 1);
  }
}
