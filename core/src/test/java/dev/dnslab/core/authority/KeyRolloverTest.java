package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.KeyRole;
import dev.dnslab.core.dnssec.KeyRoll;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.ZoneKeys;
import dev.dnslab.core.dnssec.ZoneSigning;
import dev.dnslab.core.testing.AuthorityFixture;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * RFC 7583 rollovers in a running signed lab, watched by dnsjava's validating resolver that keeps
 * its cached keys for their full TTL: at every phase, right after the servers move on (the renewal
 * check, no reload) and again after the wait the phase asks for, answers signed by com's keys stay
 * authenticated (AD). The validator's clock moves by those waits; the servers' keys move by {@code --step}.
 */
class KeyRolloverTest {
  private static final Name COM = Name.fromConstantString("com.");
  /**
   * Answers com signs itself (google.com's DS, com's SOA), so a validator needs com's keys for
   * each, and one through com's child. (Not an NXDOMAIN: com's NSEC3 opt-out makes those insecure.) A name only under google.com would not do: the
   * validator keeps google.com's validated key and never looks at com again within its TTL.
   */
  private static final List<Record> QUESTIONS = List.of(
      Record.newRecord(Name.fromConstantString("google.com."), Type.DS, DClass.IN),
      Record.newRecord(COM, Type.SOA, DClass.IN),
      Record.newRecord(Name.fromConstantString("www.google.com."), Type.A, DClass.IN));

  @TempDir Path keyDir;

  @Test
  void validatorStaysSecureThroughAPrePublishZskRollover() throws Exception {
    rollAndValidate(KeyRole.ZSK);
  }

  @Test
  void validatorStaysSecureThroughADoubleDsKskRollover() throws Exception {
    rollAndValidate(KeyRole.KSK);
  }

  @Test
  void replacingKeysInPlaceBreaksAValidatorWithCachedKeys() throws Exception {
    // The control: what `dnslab keys new` does to a running validator, and why rolls exist.
    try (AuthorityFixture lab = startLab()) {
      SigningLifecycleTest.MovableClock clock = new SigningLifecycleTest.MovableClock();
      ValidatingResolver validator = validator(lab, clock);
      assertSecure(validator, "before");

      ZoneSigning.Signed policy = (ZoneSigning.Signed) DnssecPolicy.readIn(AuthorityFixture.LAB_ZONES).forZone(COM);
      new KeyDirectory(keyDir).createNew(COM, policy);
      assertThat(lab.server().renewDueSignatures()).isNotEmpty();

      Message response = validator.send(Message.newQuery(QUESTIONS.get(0)));
      assertThat(Rcode.string(response.getRcode())).as(response.toString()).isEqualTo("SERVFAIL");
    }
  }

  private void rollAndValidate(KeyRole role) throws Exception {
    KeyDirectory keys = new KeyDirectory(keyDir);
    try (AuthorityFixture lab = startLab()) {
      SigningLifecycleTest.MovableClock clock = new SigningLifecycleTest.MovableClock();
      ValidatingResolver validator = validator(lab, clock);
      assertSecure(validator, "before the roll");
      ZoneKeys before = keys.load(COM).orElseThrow();

      KeyRoll roll = keys.startRoll(COM, role, Instant.now());
      assertThat(lab.server().renewDueSignatures()).as("zones signed again for the published phase").isNotEmpty();
      assertThat(roll.phaseAt(Instant.now())).isEqualTo(KeyRoll.Phase.PUBLISHED);
      assertThat(keyStates(lab)).as("/zones for com").contains(role + " " + (role == KeyRole.ZSK ? "published" : "ds-only"));
      assertSecure(validator, "new " + role + " published");
      clock.advance(KeyRoll.publishWait(role));
      assertSecure(validator, "after the publish wait");

      roll = keys.stepRoll(COM, Instant.now());
      assertThat(roll.phaseAt(Instant.now())).isEqualTo(KeyRoll.Phase.ACTIVE);
      assertThat(lab.server().renewDueSignatures()).as("zones signed again for the active phase").isNotEmpty();
      assertSecure(validator, "new " + role + " active");
      clock.advance(KeyRoll.retireWait(role));
      assertSecure(validator, "after the retire wait");

      keys.stepRoll(COM, Instant.now());
      assertThat(keys.roll(COM)).as("the roll ended").isEmpty();
      assertThat(lab.server().renewDueSignatures()).as("zones signed again without the old key").isNotEmpty();
      assertSecure(validator, "old " + role + " withdrawn");
      clock.advance(Duration.ofSeconds(ZoneKeys.DNSKEY_TTL + 1));
      assertSecure(validator, "after the roll");

      ZoneKeys after = keys.load(COM).orElseThrow();
      int rolled = tag(before, role);
      assertThat(tag(after, role)).as("the " + role + " changed").isNotEqualTo(rolled);
      KeyRole other = role == KeyRole.ZSK ? KeyRole.KSK : KeyRole.ZSK;
      assertThat(tag(after, other)).as("the " + other + " stayed").isEqualTo(tag(before, other));
      assertThat(after.dnskeys().rrs(false)).hasSize(2);
    }
  }

  private AuthorityFixture startLab() throws Exception {
    return SignedLabServers.start(SignedLabServers.signing(keyDir, Clock.systemUTC(), SignatureWindow.DEFAULT),
        "root", "tld", "authoritative");
  }

  /**
   * A validator whose key cache lives on {@code clock} and keeps keys for their whole TTL (dnsjava's
   * default caps it at 900 s). dnsjava 3.6.5 dates signatures by the clock it is given but builds
   * its key cache on the system clock ({@code new KeyCache()}); the cache's own {@code
   * KeyCache(Clock)} constructor is package-private, hence the reflection.
   */
  private ValidatingResolver validator(AuthorityFixture lab, Clock clock) throws Exception {
    ValidatingResolver validator = new ValidatingResolver(lab.udp(), clock);
    Class<?> keyCache = Class.forName("org.xbill.DNS.dnssec.KeyCache");
    Constructor<?> onClock = keyCache.getDeclaredConstructor(Clock.class);
    onClock.setAccessible(true);
    Field field = ValidatingResolver.class.getDeclaredField("keyCache");
    field.setAccessible(true);
    field.set(validator, onClock.newInstance(clock));
    Properties config = new Properties();
    config.setProperty("dnsjava.dnssec.keycache.max_ttl", String.valueOf(Duration.ofDays(30).toSeconds()));
    validator.init(config);
    validator.loadTrustAnchors(new ByteArrayInputStream(
        SignedLabServers.anchor(keyDir).anchorFileText().getBytes(StandardCharsets.US_ASCII)));
    validator.setTimeout(Duration.ofSeconds(5));
    return validator;
  }

  private static void assertSecure(ValidatingResolver validator, String when) throws Exception {
    for (Record question : QUESTIONS) {
      Message response = validator.send(Message.newQuery(question));
      String what = when + ": " + question + "\n" + response;
      assertThat(Rcode.string(response.getRcode())).as(what).isEqualTo("NOERROR");
      assertThat(response.getHeader().getFlag(Flags.AD)).as(what + " AD").isTrue();
    }
  }

  /** "ROLE state" of each of com's keys, as the admin port's /zones lists them. */
  @SuppressWarnings("unchecked")
  private static List<String> keyStates(AuthorityFixture lab) {
    Map<String, Object> com = lab.server().zoneSummary().stream().filter(z -> z.get("zone").equals("com.")).findFirst().orElseThrow();
    List<Map<String, Object>> keys = (List<Map<String, Object>>) ((Map<String, Object>) com.get("dnssec")).get("keys");
    return keys.stream().map(k -> k.get("role") + " " + k.get("state")).toList();
  }

  private static int tag(ZoneKeys keys, KeyRole role) {
    return keys.keys().stream().filter(k -> k.role() == role).findFirst().orElseThrow().tag();
  }
}
