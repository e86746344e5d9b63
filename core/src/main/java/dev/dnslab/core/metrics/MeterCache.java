package dev.dnslab.core.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Meters by a key (their tag values), registered on first use and then found with a plain map hit:
 * no Meter.Id built and looked up in the registry per event. The registering function is given once,
 * here, and not at each lookup, where a lambda capturing the event's tag values (or the registry)
 * cost an object per event. Keys must come from a small closed set: every key is a time series.
 *
 * <pre>{@code
 * MeterCache<String, Counter> byRcode = new MeterCache<>(rcode ->
 *     Counter.builder("dns.resolutions").tag("rcode", rcode).register(registry));
 * byRcode.get("NOERROR").increment();
 * }</pre>
 */
public final class MeterCache<K, M> {
  private final Map<K, M> meters = new ConcurrentHashMap<>();
  private final Function<? super K, ? extends M> register;

  public MeterCache(Function<? super K, ? extends M> register) {
    this.register = requireNonNull(register, "register");
  }

  /** The meter of {@code key}, registered by the function given at construction the first time. */
  public M get(K key) {
    // A plain get first: once the meters exist it is all an event costs, where computeIfAbsent
    // would lock the key's bin whenever the key is not the first in it.
    M meter = meters.get(key);
    return meter != null ? meter : meters.computeIfAbsent(key, register);
  }
}
