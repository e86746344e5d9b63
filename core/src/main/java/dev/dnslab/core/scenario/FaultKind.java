package dev.dnslab.core.scenario;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.fault.FaultHandler;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fault a scenario can name: its name, its parameters and how to build its handler. Every kind
 * is declared in {@link FaultKinds}; the reader checks a scenario's keys and values against this.
 *
 * @param name as written after {@code fault:}, e.g. {@code delay}
 * @param parameters the keys it takes besides the query match, in the order they are read
 * @param factory builds a handler from the match and the parameters' values
 */
public record FaultKind(String name, List<FaultParameter<?>> parameters, Factory factory) {
  public FaultKind {
    requireNonNull(name, "name");
    parameters = List.copyOf(requireNonNull(parameters, "parameters"));
    requireNonNull(factory, "factory");
    Set<String> names = new HashSet<>();
    for (FaultParameter<?> parameter : parameters) {
      if (!names.add(parameter.name())) {
        throw new IllegalArgumentException("parameter: " + parameter.name() + " (expected: declared once in " + name + ")");
      }
    }
  }

  /**
   * Builds a handler; throws {@link IllegalArgumentException} for a value out of range. {@code keys}
   * is the lab's DNSSEC key folder, which the DNSSEC faults re-sign crafted data with (RFC 4034
   * signatures made by dnsjava's signer, never by hand).
   */
  @FunctionalInterface
  public interface Factory {
    FaultHandler create(QueryMatch match, Arguments arguments, FaultListener listener, KeyDirectory keys);
  }

  /** The values of one fault's parameters, given or defaulted, each read by its type. */
  public static final class Arguments {
    private final Map<FaultParameter<?>, Object> values;

    Arguments(Map<FaultParameter<?>, Object> values) {
      this.values = Map.copyOf(values);
    }

    @SuppressWarnings("unchecked") // each value was read by the parameter's own type
    public <T> T get(FaultParameter<T> parameter) {
      if (!values.containsKey(parameter)) {
        throw new IllegalArgumentException("parameter: " + parameter.name() + " (expected: one of this fault's)");
      }
      return (T) values.get(parameter);
    }
  }
}
