package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * A key rollover of one zone in progress (RFC 7583), as the key folder keeps it beside the keys
 * ({@code roll.properties}, the new key as {@code <role>-next.key}): which key rolls and when each
 * phase begins. A phase begins at its time, so a running lab moves on by itself once the wait RFC
 * 7583 asks for has passed, or earlier when a user steps the roll ({@code dnslab keys roll --step}).
 *
 * <ul>
 *   <li>ZSK, pre-publish (RFC 7583 3.2.1): {@link Phase#PUBLISHED} the new ZSK is in the DNSKEY RRset
 *       but signs nothing, until every cached DNSKEY RRset holds it; {@link Phase#ACTIVE} it signs the
 *       zone and the old one stays published, until every signature the old one made has left the
 *       caches; {@link Phase#DONE} the old one is gone.
 *   <li>KSK, double-DS (RFC 7583 3.3.2): {@link Phase#PUBLISHED} the parent publishes the new KSK's
 *       DS beside the old one, until every cached DS RRset holds both; {@link Phase#ACTIVE} the new
 *       KSK replaces the old one in the DNSKEY RRset and the parent keeps both DS, until every cached
 *       DNSKEY RRset is the new one; {@link Phase#DONE} the parent drops the old DS.
 * </ul>
 *
 * @param role the key that rolls: {@link KeyRole#ZSK} or {@link KeyRole#KSK}
 * @param published when the new key (ZSK) or its DS (KSK) was published
 * @param active when the new key takes over
 * @param done when the old key (ZSK) or its DS (KSK) is withdrawn and the roll ends
 */
public record KeyRoll(KeyRole role, Instant published, Instant active, Instant done) {
  /**
   * How long the lab takes to put a change in service: the authority servers re-read the key folder
   * at their renewal check, once a minute (Dprp of RFC 7583; the lab has no secondaries).
   */
  public static final Duration PROPAGATION = Duration.ofMinutes(1);

  /**
   * The longest TTL the lab's zones use: the root's NS RRset (518400 s, as the real root's). A
   * signature the old ZSK made may sit in a cache this long (TTLsig of RFC 7583 3.2.1).
   */
  public static final Duration LONGEST_LAB_TTL = Duration.ofSeconds(518400);

  /** The TTL of a delegation and its DS in the lab's TLD and root zones (TTLds, RFC 7583 3.3.2). */
  public static final Duration LAB_DS_TTL = Duration.ofSeconds(172800);

  /** The phase a roll is in at a given time. */
  public enum Phase {
    PUBLISHED,
    ACTIVE,
    DONE
  }

  public KeyRoll {
    requireNonNull(role, "role");
    if (role == KeyRole.CSK) {
      throw new IllegalArgumentException("role: CSK (expected: ZSK or KSK; a combined key rolls as new keys)");
    }
    requireNonNull(published, "published");
    requireNonNull(active, "active");
    requireNonNull(done, "done");
    if (active.isBefore(published) || done.isBefore(active)) {
      throw new IllegalArgumentException("phases out of order: " + published + ", " + active + ", " + done);
    }
  }

  /** A roll of {@code role} that starts at {@code now} and moves on by itself after RFC 7583's waits. */
  public static KeyRoll start(KeyRole role, Instant now) {
    Instant active = now.plus(publishWait(role));
    return new KeyRoll(role, now, active, active.plus(retireWait(role)));
  }

  /**
   * How long the new key (ZSK: Ipub = Dprp + TTLkey) or its DS (KSK: Dprp + TTLds) must be out
   * before it takes over.
   */
  public static Duration publishWait(KeyRole role) {
    return PROPAGATION.plus(role == KeyRole.ZSK ? Duration.ofSeconds(ZoneKeys.DNSKEY_TTL) : LAB_DS_TTL);
  }

  /**
   * How long the old key (ZSK: Iret = Dprp + TTLsig) or its DS (KSK: Dprp + TTLkey) must stay after
   * the new key took over.
   */
  public static Duration retireWait(KeyRole role) {
    return PROPAGATION.plus(role == KeyRole.ZSK ? LONGEST_LAB_TTL : Duration.ofSeconds(ZoneKeys.DNSKEY_TTL));
  }

  public Phase phaseAt(Instant now) {
    if (now.isBefore(active)) {
      return Phase.PUBLISHED;
    }
    return now.isBefore(done) ? Phase.ACTIVE : Phase.DONE;
  }

  /**
   * The roll with its next phase beginning at {@code now} (a user's step; RFC 7583's waits are the
   * user's to keep then), the phase after it keeping its full wait.
   */
  public KeyRoll steppedAt(Instant now) {
    return switch (phaseAt(now)) {
      case PUBLISHED -> new KeyRoll(role, published, now, now.plus(retireWait(role)));
      case ACTIVE -> new KeyRoll(role, published, active, now);
      case DONE -> this;
    };
  }

  /** The file stem of the new key, e.g. {@code zsk-next}. */
  public String newKeyStem() {
    return nextStem(role);
  }

  static String nextStem(KeyRole role) {
    return role.fileStem() + "-next";
  }

  Properties toProperties() {
    Properties properties = new Properties();
    properties.setProperty("role", role.fileStem());
    properties.setProperty("published", published.toString());
    properties.setProperty("active", active.toString());
    properties.setProperty("done", done.toString());
    return properties;
  }

  static KeyRoll fromProperties(Properties properties) {
    String role = properties.getProperty("role", "");
    KeyRole rolling = role.equals(KeyRole.ZSK.fileStem()) ? KeyRole.ZSK : role.equals(KeyRole.KSK.fileStem()) ? KeyRole.KSK : null;
    if (rolling == null) {
      throw new IllegalArgumentException("role: " + role + " (expected: zsk or ksk)");
    }
    return new KeyRoll(rolling, Instant.parse(properties.getProperty("published", "")),
        Instant.parse(properties.getProperty("active", "")), Instant.parse(properties.getProperty("done", "")));
  }
}
