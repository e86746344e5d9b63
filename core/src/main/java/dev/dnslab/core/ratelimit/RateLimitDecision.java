package dev.dnslab.core.ratelimit;

/** What happens to one UDP response under response rate limiting. */
enum RateLimitDecision {
  /** The bucket had a token: the response goes out as it is. */
  SEND,
  /** Limited, and its turn to slip: an empty response with TC goes out instead. */
  SLIP,
  /** Limited: nothing goes out. */
  DROP
}
