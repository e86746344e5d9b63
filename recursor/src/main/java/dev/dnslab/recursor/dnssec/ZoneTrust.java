package dev.dnslab.recursor.dnssec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * What the chain of trust says about one zone (RFC 4035 4.3), as kept in the {@link KeyCache}: its
 * keys validated, proven unsigned, or broken. Each carries the chain from the anchor down to it
 * ({@code path}, its own link last) and when the knowledge expires.
 */
sealed interface ZoneTrust {
  Name zone();

  List<ChainLink> path();

  Instant expires();

  /** The zone's DNSKEY set validated from a DS the parent (or the anchor) vouches for. */
  record Secure(Name zone, List<DNSKEYRecord> keys, List<ChainLink> path, Instant expires) implements ZoneTrust {
    public Secure {
      keys = List.copyOf(keys);
      path = List.copyOf(path);
    }
  }

  /**
   * Proven unsigned (RFC 4035 5.2): no DS at the cut, an NSEC3 opt-out span, only unsupported
   * algorithms or digests, or no trust anchor above; everything below is insecure too.
   */
  record Insecure(Name zone, Verdict verdict, List<ChainLink> path, Instant expires) implements ZoneTrust {
    public Insecure {
      path = List.copyOf(path);
    }
  }

  /**
   * The keys could not be validated (bogus) or fetched (indeterminate), kept as RFC 9520 3.4 asks;
   * {@code failures} counts the first failure and each retry that failed again, for the RFC 9520
   * 3.2 backoff ({@link KeyCache#failed}).
   */
  record Failed(Name zone, Verdict verdict, List<ChainLink> path, Instant expires, int failures) implements ZoneTrust {
    public Failed {
      path = List.copyOf(path);
    }
  }

  /** {@code path} with {@code link} appended. */
  static List<ChainLink> extend(List<ChainLink> path, ChainLink link) {
    List<ChainLink> extended = new ArrayList<>(path);
    extended.add(link);
    return extended;
  }
}
