package dev.dnslab.core.scenario;

import static java.util.Objects.requireNonNull;

/**
 * One parameter of a fault kind: its key in the scenario, its type and, unless it is required, its
 * default, written as a scenario would write it (so the README can show it as is).
 *
 * @param name the key, e.g. {@code ms}
 * @param type how the value is read
 * @param defaultText the default as scenario text, or null when the parameter is required
 * @param <T> the Java value
 */
public record FaultParameter<T>(String name, ParameterType<T> type, String defaultText) {
  public FaultParameter {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
  }

  public static <T> FaultParameter<T> required(String name, ParameterType<T> type) {
    return new FaultParameter<>(name, type, null);
  }

  public static <T> FaultParameter<T> optional(String name, ParameterType<T> type, String defaultText) {
    return new FaultParameter<>(name, type, requireNonNull(defaultText, "defaultText"));
  }

  public boolean isRequired() {
    return defaultText == null;
  }
}
