package dev.dnslab.core.cache;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A name and a type as a map key: the record cache's entries, the recursor's verdicts and its
 * in-flight questions. Name equality ignores case, as DNS does (RFC 4343).
 *
 * <p>A class with its own {@code equals} and {@code hashCode} rather than a record: a record's
 * come from the {@code ObjectMethods} bootstrap, whose method-handle chain showed as ~1.7 % of the
 * recursor's event loop on the cache-miss path, where every query looks several of these up. The
 * type is compared first, the cheap test that tells most keys of one name apart.
 */
public final class QuestionKey {
  private final Name name;
  private final int type;

  public QuestionKey(Name name, int type) {
    this.name = name;
    this.type = type;
  }

  public Name name() {
    return name;
  }

  public int type() {
    return type;
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof QuestionKey key && type == key.type && name.equals(key.name);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + type;
  }

  @Override
  public String toString() {
    return name + "/" + Type.string(type);
  }
}
