package dev.dnslab.core.cache;

/** Whole seconds on a monotonic clock: TTLs are counted in seconds (RFC 1035 3.2.1). */
@FunctionalInterface
public interface CacheClock {
  CacheClock MONOTONIC = () -> System.nanoTime() / 1_000_000_000L;

  long nowSeconds();
}
