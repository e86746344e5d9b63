package dev.dnslab.core.dnssec;

/**
 * How a signed zone proves that a name or type does not exist: NSEC (RFC 4034 4, RFC 4035 3.1.3)
 * or NSEC3 (RFC 5155), whose parameters follow RFC 9276: SHA-1, no extra iterations, no salt.
 */
public sealed interface Denial {
  /** How logs, exports and the admin port name it: NSEC, NSEC3 or NSEC3 opt-out. */
  String label();

  /** RFC 4034 4: a chain of the zone's names in canonical order. */
  record Nsec() implements Denial {
    @Override
    public String label() {
      return "NSEC";
    }
  }

  /**
   * RFC 5155: a chain of hashed names.
   *
   * @param optOut RFC 5155 6: unsigned delegations get no NSEC3 record of their own, and every
   *     NSEC3 record says so with the Opt-Out flag
   */
  record Nsec3(boolean optOut) implements Denial {
    /** RFC 5155 11: 1 is SHA-1, the only hash defined. */
    public static final int HASH_ALGORITHM = 1;

    /** RFC 9276 3.1: "the number of additional iterations ... MUST be 0". */
    public static final int ITERATIONS = 0;

    /** RFC 5155 3.1.2.1: bit 0 of the NSEC3 flags. */
    public static final int OPT_OUT_FLAG = 1;

    @Override
    public String label() {
      return optOut ? "NSEC3 opt-out" : "NSEC3";
    }
  }
}
