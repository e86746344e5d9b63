package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ResolverBuilderTest {
  @Test
  void refusesToBuildWithoutACache() {
    assertThatThrownBy(() -> Resolver.builder().build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cache");
  }

  @Test
  void refusesToBuildWithoutAnUpstreamClient() {
    RecordCache cache = new RecordCache(10, TtlLimits.DEFAULT, CacheClock.MONOTONIC,
        new CacheMetrics(new SimpleMeterRegistry(), "recursor"));

    assertThatThrownBy(() -> Resolver.builder().cache(cache).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("client");
  }

  @Test
  void rejectsAPortOutsideTheRange() {
    assertThatThrownBy(() -> Resolver.builder().upstreamPort(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("upstreamPort: 0 (expected: 1..65535)");
  }

  @Test
  void rejectsNullSettings() {
    assertThatThrownBy(() -> Resolver.builder().rootHints(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("rootHints");
  }
}
