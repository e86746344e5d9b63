package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.lab.FileTrees;
import dev.dnslab.core.tls.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's DNSSEC keys, made once per lab and shared by every server of it: the embedded lab, the
 * separate compose containers (one volume) and a JUnit lab all read the same folder, so the DS a
 * parent publishes always names the key its child signs with, and the root's trust anchor survives
 * restarts.
 *
 * <p>Layout: one folder per zone ({@code root} for the root, else the zone name without the final
 * dot), holding per key {@code ksk.key} / {@code zsk.key} / {@code csk.key} (the DNSKEY record in
 * master-file format, as BIND's {@code K*.key} files) and {@code <role>.private.pem} (PKCS#8 PEM,
 * readable by the owner only). A rollover in progress adds {@code roll.properties} (its phases,
 * {@link KeyRoll}) and the new key as {@code zsk-next} or {@code ksk-next}; its last phase renames
 * the new key over the old one. A fault's extra key (see {@link #loadOrCreateExtraKey}) sits there too.
 *
 * <p>A zone's keys are made the first time any server asks for them. Every read and write happens
 * under a lock (a lock file for other processes, a monitor for this JVM), and a zone's folder
 * appears by one atomic rename of a complete temporary folder, so two servers starting at once
 * end up with the same keys and nobody ever reads half a key set. New keys are made only on
 * request ({@link #createNew}).
 *
 * <pre>{@code
 * KeyDirectory keys = KeyDirectory.inStateDir(LabCertificateAuthority.defaultStateDir());
 * ZoneKeys com = keys.loadOrCreate(Name.fromString("com."), policy.forZone(com));
 * }</pre>
 */
public final class KeyDirectory {
  /** Key pairs read and found to verify, in this JVM: see checkPair. */
  private static final CheckedKeyPairs CHECKED_PAIRS = new CheckedKeyPairs();

  private static final Logger log = LoggerFactory.getLogger(KeyDirectory.class);

  /** The folder under the lab's state folder. */
  public static final String FOLDER = "keys";

  static final String KEY_SUFFIX = ".key";
  static final String PRIVATE_SUFFIX = ".private.pem";
  private static final String LOCK_FILE = ".lock";
  static final String ROLL_FILE = "roll.properties";

  /** A file lock is per process: two threads of one JVM locking it would throw instead of wait. */
  private static final Object JVM_LOCK = new Object();

  private final Path dir;

  public KeyDirectory(Path dir) {
    this.dir = requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  /** {@code stateDir/keys}, beside the lab CA. */
  public static KeyDirectory inStateDir(Path stateDir) {
    return new KeyDirectory(stateDir.resolve(FOLDER));
  }

  public Path dir() {
    return dir;
  }

  /** The folder that holds {@code zone}'s keys. */
  public Path zoneFolder(Name zone) {
    if (zone.equals(Name.root)) {
      return dir.resolve("root");
    }
    String folder = zone.toString(true).toLowerCase(Locale.ROOT);
    if (!folder.matches("[a-z0-9_-][a-z0-9._-]*")) {
      throw new IllegalArgumentException("zone " + zone + " has no safe folder name for its keys");
    }
    return dir.resolve(folder);
  }

  /**
   * The zone's keys, made now if the folder has none.
   *
   * @throws IllegalStateException when the stored keys do not match {@code policy} (another
   *     algorithm or key style): they stay until a user asks for new ones
   * @throws UncheckedIOException when the folder cannot be read or written, or holds broken keys
   */
  public ZoneKeys loadOrCreate(Name zone, ZoneSigning.Signed policy) {
    return loadOrCreate(zone, policy, Instant.now());
  }

  /**
   * As {@link #loadOrCreate(Name, ZoneSigning.Signed)}, with a rollover in progress in the phase it
   * is in at {@code now} (a roll whose end has come is completed here, under the lock).
   */
  public ZoneKeys loadOrCreate(Name zone, ZoneSigning.Signed policy, Instant now) {
    requireNonNull(policy, "policy");
    ZoneKeys keys = locked(() -> {
      Optional<ZoneKeys> existing = read(zone, now);
      return existing.isPresent() ? existing.get() : commit(zone, generate(zone, policy));
    });
    if (keys.algorithm() != policy.algorithm() || keys.style() != policy.keys()) {
      throw new IllegalStateException(zoneFolder(zone) + " holds " + keys.algorithm() + " "
          + keys.style().policyName() + " keys but the policy asks for " + policy.algorithm() + " "
          + policy.keys().policyName() + "; make new keys for " + zone + " to follow it");
    }
    return keys;
  }

  /** The zone's keys if the folder has them; never makes any. */
  public Optional<ZoneKeys> load(Name zone) {
    return load(zone, Instant.now());
  }

  /** The zone's keys as they serve at {@code now}, a rollover in progress included. */
  public Optional<ZoneKeys> load(Name zone, Instant now) {
    return locked(() -> read(zone, now));
  }

  /**
   * Starts a rollover of the zone's ZSK (pre-publish) or KSK (double-DS) at {@code now}, RFC 7583:
   * makes the new key beside the old ones and records when each phase begins. Servers follow it at
   * their next load or renewal check; nothing changes for a validator all at once.
   *
   * @throws IllegalStateException when the zone has no keys, has one combined key, or rolls already
   */
  public KeyRoll startRoll(Name zone, KeyRole role, Instant now) {
    return locked(() -> {
      ZoneKeys keys = read(zone, now).orElseThrow(() -> new IllegalStateException("no DNSSEC keys for " + zone + " in " + dir));
      if (keys.style() != KeyStyle.KSK_ZSK) {
        throw new IllegalStateException(zone + " has one combined signing key (csk): it has no separate " + role
            + " to roll; make new keys instead (dnslab keys new)");
      }
      Path folder = zoneFolder(zone);
      if (Files.exists(folder.resolve(ROLL_FILE))) {
        throw new IllegalStateException(zone + " is rolling its keys already: " + readRoll(folder).orElseThrow());
      }
      KeyRoll roll = KeyRoll.start(role, now);
      Set<Integer> tags = new HashSet<>();
      keys.keys().forEach(k -> tags.add(k.tag()));
      ZoneKey next;
      do {
        next = generateKey(zone, role, keys.algorithm());
      } while (!tags.add(next.tag())); // RFC 4034 B.1: keep a zone's tags distinct
      writeKey(folder, roll.newKeyStem(), next);
      writeRoll(folder, roll);
      log.info("started a {} rollover of {} (new key tag {}): {}", role, zone, next.tag(), roll);
      return roll;
    });
  }

  /**
   * Moves the zone's rollover to its next phase now, without waiting for its time (the user's
   * {@code dnslab keys roll --step}); the roll ends when its last phase begins.
   *
   * @return the roll as it is now
   * @throws IllegalStateException when the zone is not rolling its keys
   */
  public KeyRoll stepRoll(Name zone, Instant now) {
    return locked(() -> {
      Path folder = zoneFolder(zone);
      KeyRoll roll = readRoll(folder).orElseThrow(() -> new IllegalStateException(zone + " is not rolling its keys"));
      KeyRoll stepped = roll.steppedAt(now);
      writeRoll(folder, stepped);
      log.info("stepped the {} rollover of {} to {}: {}", roll.role(), zone, stepped.phaseAt(now), stepped);
      read(zone, now); // completes the roll when it just ended
      return stepped;
    });
  }

  /** The zone's rollover in progress, if any. */
  public Optional<KeyRoll> roll(Name zone) {
    return locked(() -> readRoll(zoneFolder(zone)));
  }

  /**
   * Replaces the zone's keys with new ones following {@code policy} (the user's "new keys"
   * command): the parent's DS changes with them, and for the root so does the trust anchor.
   */
  public ZoneKeys createNew(Name zone, ZoneSigning.Signed policy) {
    requireNonNull(policy, "policy");
    return locked(() -> commit(zone, generate(zone, policy)));
  }

  /**
   * A key of {@code zone} beside its signing keys, made once per lab like them: {@code make} runs
   * only when the zone's folder has no {@code <stem>.key} yet, under the same lock, and the result
   * is stored there, so every server of the lab (other processes included) gets the same key. The
   * unsupported-algorithm fault keeps its RSAMD5 key here, so the DS the parent's server publishes
   * names the DNSKEY the child's server serves. The zone's own keys must exist; new keys for the
   * zone ({@link #createNew}) drop its extra keys too.
   *
   * @param stem the file stem, e.g. {@code unsupported-alg1}; not one of the signing keys' stems
   * @throws IllegalStateException when the zone has no keys yet
   */
  public ZoneKey loadOrCreateExtraKey(Name zone, String stem, Supplier<ZoneKey> make) {
    requireNonNull(make, "make");
    if (!stem.matches("[a-z0-9-]+") || Arrays.stream(KeyRole.values())
        .anyMatch(r -> r.fileStem().equals(stem) || KeyRoll.nextStem(r).equals(stem))) {
      throw new IllegalArgumentException("stem: " + stem + " (expected: [a-z0-9-]+, not a signing key's or a roll's)");
    }
    return locked(() -> {
      Path folder = zoneFolder(zone);
      if (!Files.isDirectory(folder)) {
        throw new IllegalStateException("no DNSSEC keys for " + zone + " in " + dir + " to add " + stem + " to");
      }
      if (Files.exists(folder.resolve(stem + KEY_SUFFIX))) { // made by this or another server already
        return readKey(folder, zone, stem);
      }
      ZoneKey key = requireNonNull(make.get(), "make.get()");
      writeKey(folder, stem, key);
      log.info("made the extra DNSSEC key {} of {} in {}: {}", stem, zone, folder, key);
      return key;
    });
  }

  /** Writes one key into a zone's folder: the private half first, so a .key file always has its pair. */
  private static void writeKey(Path folder, String stem, ZoneKey key) throws IOException {
    PemFiles.writeAtomically(folder.resolve(stem + PRIVATE_SUFFIX), PemFiles.toPem(key.privateKey()), true);
    Path fresh = Files.createTempFile(folder, ".new-" + stem, KEY_SUFFIX);
    Files.writeString(fresh, keyFileText(key), StandardCharsets.US_ASCII);
    Files.move(fresh, folder.resolve(stem + KEY_SUFFIX), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private interface LockedAction<T> {
    T run() throws IOException;
  }

  private <T> T locked(LockedAction<T> action) {
    synchronized (JVM_LOCK) {
      try {
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          return action.run();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("DNSSEC keys in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  private Optional<ZoneKeys> read(Name zone, Instant now) throws IOException {
    Path folder = zoneFolder(zone);
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    Optional<KeyRoll> roll = readRoll(folder);
    if (roll.isPresent() && roll.get().phaseAt(now) == KeyRoll.Phase.DONE) {
      completeRoll(zone, folder, roll.get());
      roll = Optional.empty();
    }
    KeyStyle style = Files.exists(folder.resolve(KeyRole.CSK.fileStem() + KEY_SUFFIX)) ? KeyStyle.CSK : KeyStyle.KSK_ZSK;
    List<ZoneKey> keys = new ArrayList<>();
    for (KeyRole role : style.roles()) {
      keys.add(readKey(folder, zone, role.fileStem()));
    }
    int number = keys.get(0).dnskey().getAlgorithm();
    DnssecAlgorithm algorithm = DnssecAlgorithm.ofNumber(number).orElseThrow(() ->
        new IOException(folder + ": algorithm " + number + " is not one the lab signs with"));
    for (ZoneKey key : keys) {
      if (key.dnskey().getAlgorithm() != number) {
        throw new IOException(folder + ": keys of one zone must share one algorithm");
      }
    }
    if (roll.isEmpty()) {
      return Optional.of(new ZoneKeys(zone, algorithm, style, keys));
    }
    return Optional.of(rolling(zone, algorithm, style, keys, roll.get(), readKey(folder, zone, roll.get().newKeyStem()), now));
  }

  /** The keys in the phase the roll is in (see {@link KeyRoll}). */
  private static ZoneKeys rolling(Name zone, DnssecAlgorithm algorithm, KeyStyle style, List<ZoneKey> keys, KeyRoll roll,
      ZoneKey next, Instant now) {
    ZoneKey old = keys.stream().filter(k -> k.role() == roll.role()).findFirst().orElseThrow();
    boolean active = roll.phaseAt(now) == KeyRoll.Phase.ACTIVE;
    List<ZoneKey> signing = new ArrayList<>(keys);
    if (active) {
      signing.set(signing.indexOf(old), next);
    }
    List<ZoneKey> aside = List.of(active ? old : next);
    return roll.role() == KeyRole.ZSK
        ? new ZoneKeys(zone, algorithm, style, signing, aside, List.of())
        : new ZoneKeys(zone, algorithm, style, signing, List.of(), aside);
  }

  /** The new key replaces the old one on disk and the roll file goes: the roll's last phase. */
  private void completeRoll(Name zone, Path folder, KeyRoll roll) throws IOException {
    String stem = roll.role().fileStem();
    Files.move(folder.resolve(roll.newKeyStem() + PRIVATE_SUFFIX), folder.resolve(stem + PRIVATE_SUFFIX),
        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(folder.resolve(roll.newKeyStem() + KEY_SUFFIX), folder.resolve(stem + KEY_SUFFIX),
        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(folder.resolve(ROLL_FILE));
    log.info("completed the {} rollover of {}", roll.role(), zone);
  }

  private static Optional<KeyRoll> readRoll(Path folder) throws IOException {
    Path file = folder.resolve(ROLL_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      properties.load(in);
    }
    try {
      return Optional.of(KeyRoll.fromProperties(properties));
    } catch (RuntimeException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void writeRoll(Path folder, KeyRoll roll) throws IOException {
    Path fresh = Files.createTempFile(folder, ".new-roll", ".properties");
    try (var out = Files.newBufferedWriter(fresh, StandardCharsets.US_ASCII)) {
      roll.toProperties().store(out, "RFC 7583 rollover of the " + roll.role()
          + ": each phase begins at its time, or at dnslab keys roll --step");
    }
    Files.move(fresh, folder.resolve(ROLL_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The key {@code <stem>.key} / {@code <stem>.private.pem}; its flags say its role. */
  private static ZoneKey readKey(Path folder, Name zone, String stem) throws IOException {
    Path keyFile = folder.resolve(stem + KEY_SUFFIX);
    Path privateFile = folder.resolve(stem + PRIVATE_SUFFIX);
    Record record;
    try (Master master = new Master(keyFile.toString(), zone)) {
      record = master.nextRecord();
    }
    if (!(record instanceof DNSKEYRecord dnskey) || !record.getName().equals(zone)) {
      throw new IOException(keyFile + ": expected the DNSKEY record of " + zone + ", found " + record);
    }
    // ksk/zsk/csk and a roll's ksk-next/zsk-next by name; an extra key by its flags.
    KeyRole role = Arrays.stream(KeyRole.values())
        .filter(r -> r.fileStem().equals(stem) || KeyRoll.nextStem(r).equals(stem)).findFirst()
        .orElse(dnskey.getFlags() == KeyRole.ZSK.flags() ? KeyRole.ZSK : KeyRole.CSK);
    if (dnskey.getFlags() != role.flags()) {
      throw new IOException(keyFile + ": flags " + dnskey.getFlags() + " (expected: " + role.flags() + " for a " + role + ")");
    }
    // A signing key's algorithm names its JDK key factory; an extra key of another algorithm (a
    // fault's RSAMD5) is read whatever its kind.
    Optional<DnssecAlgorithm> algorithm = DnssecAlgorithm.ofNumber(dnskey.getAlgorithm());
    PrivateKey privateKey = algorithm.isPresent()
        ? PemFiles.readPrivateKey(privateFile, algorithm.get().jcaName())
        : PemFiles.readPrivateKey(privateFile);
    ZoneKey key = new ZoneKey(role, dnskey, privateKey);
    checkPair(key, privateFile, stem);
    return key;
  }

  /**
   * One signature made and checked: a private key from another pair fails here, not in resolvers.
   * Once per pair and JVM ({@link CheckedKeyPairs}): the same bytes give the same outcome.
   */
  private static void checkPair(ZoneKey key, Path privateFile, String stem) throws IOException {
    try {
      CHECKED_PAIRS.checkOnce(key.dnskey(), key.privateKey(), KeyDirectory::signAndVerify);
    } catch (DNSSEC.DNSSECException | RuntimeException e) {
      throw new IOException(privateFile + " does not belong to " + stem + KEY_SUFFIX + ": " + e.getMessage(), e);
    }
  }

  private static void signAndVerify(DNSKEYRecord dnskey, PrivateKey privateKey) throws DNSSEC.DNSSECException {
    RRset probe = new RRset(dnskey);
    Instant now = Instant.now();
    RRSIGRecord signature = DNSSEC.sign(probe, dnskey, privateKey, now, now.plusSeconds(60));
    DNSSEC.verify(probe, signature, dnskey, now);
  }

  private static ZoneKeys generate(Name zone, ZoneSigning.Signed policy) {
    List<ZoneKey> keys = new ArrayList<>();
    Set<Integer> tags = new HashSet<>();
    for (KeyRole role : policy.keys().roles()) {
      ZoneKey key;
      do {
        key = generateKey(zone, role, policy.algorithm());
      } while (!tags.add(key.tag())); // RFC 4034 B.1: tags may collide; keep a zone's tags distinct
      keys.add(key);
    }
    return new ZoneKeys(zone, policy.algorithm(), policy.keys(), keys);
  }

  /**
   * A new key pair as a key of the zone. The pair is remembered as checked ({@link CheckedKeyPairs}):
   * the JDK made its two halves together, so reading it back from the files just written (the
   * parent's DS, the zone's own signing, the trust anchor) needs no test signature; a file changed
   * since is other bytes and is checked.
   */
  private static ZoneKey generateKey(Name zone, KeyRole role, DnssecAlgorithm algorithm) {
    KeyPair pair = algorithm.generateKeyPair();
    DNSKEYRecord dnskey;
    try {
      dnskey = new DNSKEYRecord(zone, DClass.IN, ZoneKeys.DNSKEY_TTL, role.flags(),
          DNSKEYRecord.Protocol.DNSSEC, algorithm.number(), pair.getPublic());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("dnsjava cannot encode a " + algorithm + " key: " + e.getMessage(), e);
    }
    CHECKED_PAIRS.remember(dnskey, pair.getPrivate());
    return new ZoneKey(role, dnskey, pair.getPrivate());
  }

  /** Whether this JVM knows the pair as checked, so reading it would sign nothing: for tests. */
  static boolean knownAsChecked(DNSKEYRecord dnskey, PrivateKey privateKey) {
    return CHECKED_PAIRS.knows(dnskey, privateKey);
  }

  /** Writes a complete key set to a temporary folder and renames it into place (replacing). */
  private ZoneKeys commit(Name zone, ZoneKeys keys) throws IOException {
    Path folder = zoneFolder(zone);
    Path fresh = Files.createTempDirectory(dir, ".new-" + folder.getFileName() + "-");
    try {
      for (ZoneKey key : keys.keys()) {
        Files.writeString(fresh.resolve(key.role().fileStem() + KEY_SUFFIX), keyFileText(key), StandardCharsets.US_ASCII);
        PemFiles.writeAtomically(fresh.resolve(key.role().fileStem() + PRIVATE_SUFFIX), PemFiles.toPem(key.privateKey()), true);
      }
      Path retired = null;
      if (Files.exists(folder)) {
        retired = dir.resolve(".retired-" + folder.getFileName() + "-" + System.nanoTime());
        Files.move(folder, retired, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(fresh, folder, StandardCopyOption.ATOMIC_MOVE);
      if (retired != null) {
        FileTrees.delete(retired);
      }
    } finally {
      if (Files.exists(fresh)) {
        FileTrees.delete(fresh);
      }
    }
    log.info("made DNSSEC keys for {} in {}: {}", zone, folder, keys);
    return keys;
  }

  private static String keyFileText(ZoneKey key) {
    return "; " + key.role() + " of " + key.dnskey().getName() + ", "
        + DnssecAlgorithm.ofNumber(key.dnskey().getAlgorithm()).map(Object::toString).orElse("?")
        + ", key tag " + key.tag() + ", made by dnslab " + Instant.now() + "\n"
        + (key.role().signsKeys() ? "; its DS in the parent: " + key.ds(ZoneKeys.DNSKEY_TTL) + "\n" : "")
        + key.dnskey() + "\n";
  }
}
