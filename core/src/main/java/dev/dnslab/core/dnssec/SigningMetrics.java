package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The signer's meters, tagged by the server's role: {@code dns_dnssec_signatures_total{role}} (RRSIGs
 * made, at load, reload and renewal), {@code dns_dnssec_signing_runs_total{role,reason}} (zones
 * signed, {@code reason} = load or renewal) and {@code dns_dnssec_signature_expiry_seconds{role}}
 * (seconds until the soonest signature of the served zones expires: an alert on it catches a lab
 * whose renewal stopped, RFC 4034 3.1.5).
 */
public final class SigningMetrics {
  public static final String SIGNATURES = "dns.dnssec.signatures";
  public static final String SIGNING_RUNS = "dns.dnssec.signing.runs";
  public static final String SIGNATURE_EXPIRY = "dns.dnssec.signature.expiry.seconds";

  /** Why a zone was signed: the {@code reason} tag. */
  public enum Reason {
    LOAD("load"),
    RENEWAL("renewal");

    private final String tag;

    Reason(String tag) {
      this.tag = tag;
    }
  }

  private final MeterRegistry registry;
  private final String role;
  private final Counter signatures;
  private final AtomicReference<Instant> nearestExpiry = new AtomicReference<>();

  public SigningMetrics(MeterRegistry registry, String role, Clock clock) {
    this.registry = requireNonNull(registry, "registry");
    this.role = requireNonNull(role, "role");
    requireNonNull(clock, "clock");
    this.signatures = Counter.builder(SIGNATURES).description("RRSIG records made by the signer")
        .tags("role", role).register(registry);
    Gauge.builder(SIGNATURE_EXPIRY, nearestExpiry, expiry -> {
          Instant at = expiry.get();
          return at == null ? Double.NaN : (at.toEpochMilli() - clock.millis()) / 1000.0;
        })
        .description("Seconds until the soonest RRSIG expiration among the zones served")
        .tags("role", role)
        .register(registry);
  }

  /** One zone signed. */
  public void signed(SignedZone zone, Reason reason) {
    signatures.increment(zone.signatureCount());
    Counter.builder(SIGNING_RUNS).description("Zones signed").tags("role", role, "reason", reason.tag)
        .register(registry).increment();
  }

  /** The zones now in service; none signed leaves the gauge at NaN. */
  public void serving(Collection<SignedZone> zones) {
    nearestExpiry.set(zones.stream().map(SignedZone::expiration).min(Instant::compareTo).orElse(null));
  }
}
