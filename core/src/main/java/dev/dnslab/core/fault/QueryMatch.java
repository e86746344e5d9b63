package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Which queries a fault applies to: those whose QNAME is one of {@code names} or below it (an empty
 * list means every name), and whose QTYPE is in {@code types} (empty: every type). Names compare
 * case-insensitively (RFC 4343), so a resolver using 0x20 mixed case is still matched.
 *
 * <p>The server a fault applies to is chosen by installing it in that server's chain.
 */
public record QueryMatch(List<Name> names, Set<Integer> types) {
  /** Every query. */
  public static final QueryMatch ALL = new QueryMatch(List.of(), Set.of());

  public QueryMatch {
    names = List.copyOf(requireNonNull(names, "names"));
    types = Set.copyOf(requireNonNull(types, "types"));
    for (Name name : names) {
      if (!name.isAbsolute()) {
        throw new IllegalArgumentException("name: " + name + " (expected: an absolute name)");
      }
    }
  }

  /** Queries for {@code names} and everything below them. */
  public static QueryMatch names(Name... names) {
    return new QueryMatch(List.of(names), Set.of());
  }

  public boolean matches(DnsRequest request) {
    Record question = request.question();
    if (question == null) {
      return false;
    }
    if (!types.isEmpty() && !types.contains(question.getType())) {
      return false;
    }
    if (names.isEmpty()) {
      return true;
    }
    Name qname = question.getName();
    for (Name name : names) {
      if (qname.subdomain(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    String which = names.isEmpty() ? "*" : names.toString();
    return types.isEmpty()
        ? which
        : which + " " + types.stream().map(Type::string).collect(Collectors.joining(",", "[", "]"));
  }
}
