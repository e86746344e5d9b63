package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheRankTest {
  @Test
  void atLeastFollowsTheTrustOrderOfRfc2181() {
    for (CacheRank rank : CacheRank.values()) {
      for (CacheRank other : CacheRank.values()) {
        assertThat(rank.atLeast(other)).as("%s at least %s", rank, other).isEqualTo(rank.compareTo(other) >= 0);
      }
    }
    assertThat(CacheRank.ANSWER.atLeast(CacheRank.GLUE)).isTrue();
    assertThat(CacheRank.GLUE.atLeast(CacheRank.REFERRAL)).isFalse();
  }
}
