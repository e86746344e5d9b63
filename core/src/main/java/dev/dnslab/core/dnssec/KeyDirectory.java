package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
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
 * readable by the owner only).
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
  private static final Logger log = LoggerFactory.getLogger(KeyDirectory.class);

  /** The folder under the lab's state folder. */
  public static final String FOLDER = "keys";

  static final String KEY_SUFFIX = ".key";
  static final String PRIVATE_SUFFIX = ".private.pem";
  private static final String LOCK_FILE = ".lock";

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
    requireNonNull(policy, "policy");
    ZoneKeys keys = locked(() -> {
      Optional<ZoneKeys> existing = read(zone);
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
    return locked(() -> read(zone));
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
    if (!stem.matches("[a-z0-9-]+") || Arrays.stream(KeyRole.values()).anyMatch(r -> r.fileStem().equals(stem))) {
      throw new IllegalArgumentException("stem: " + stem + " (expected: [a-z0-9-]+, not ksk, zsk or csk)");
    }
    return locked(() -> {
      Path folder = zoneFolder(zone);
      if (!Files.isDirectory(folder)) {
        throw new IllegalStateException("no DNSSEC keys for " + zone + " in " + dir + " to add " + stem + " to");
      }
      if (Files.exists(folder.resolve(stem + KEY_SUFFIX))) {
        return readKey(folder, zone, stem);
      }
      ZoneKey key = requireNonNull(make.get(), "make.get()");
      // The private half first: a reader that finds the .key file finds its pair complete.
      PemFiles.writeAtomically(folder.resolve(stem + PRIVATE_SUFFIX), PemFiles.toPem(key.privateKey()), true);
      Path fresh = Files.createTempFile(folder, ".new-" + stem, KEY_SUFFIX);
      Files.writeString(fresh, keyFileText(key), StandardCharsets.US_ASCII);
      Files.move(fresh, folder.resolve(stem + KEY_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
      log.info("made the extra DNSSEC key {} of {} in {}: {}", stem, zone, folder, key);
      return key;
    });
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

  private Optional<ZoneKeys> read(Name zone) throws IOException {
    Path folder = zoneFolder(zone);
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
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
    return Optional.of(new ZoneKeys(zone, algorithm, style, keys));
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
    KeyRole role = Arrays.stream(KeyRole.values()).filter(r -> r.fileStem().equals(stem)).findFirst()
        .orElse(dnskey.getFlags() == KeyRole.ZSK.flags() ? KeyRole.ZSK : KeyRole.CSK);
    if (dnskey.getFlags() != role.flags()) {
      throw new IOException(keyFile + ": flags " + dnskey.getFlags() + " (expected: " + role.flags() + " for a " + role + ")");
    }
    PrivateKey privateKey = PemFiles.readPrivateKey(privateFile);
    ZoneKey key = new ZoneKey(role, dnskey, privateKey);
    checkPair(key, privateFile, stem);
    return key;
  }

  /** One signature made and checked: a private key from another pair fails here, not in resolvers. */
  private static void checkPair(ZoneKey key, Path privateFile, String stem) throws IOException {
    try {
      RRset probe = new RRset(key.dnskey());
      Instant now = Instant.now();
      RRSIGRecord signature = DNSSEC.sign(probe, key.dnskey(), key.privateKey(), now, now.plusSeconds(60));
      DNSSEC.verify(probe, signature, key.dnskey(), now);
    } catch (DNSSEC.DNSSECException | RuntimeException e) {
      throw new IOException(privateFile + " does not belong to " + stem + KEY_SUFFIX + ": " + e.getMessage(), e);
    }
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

  private static ZoneKey generateKey(Name zone, KeyRole role, DnssecAlgorithm algorithm) {
    KeyPair pair = algorithm.generateKeyPair();
    try {
      DNSKEYRecord dnskey = new DNSKEYRecord(zone, DClass.IN, ZoneKeys.DNSKEY_TTL, role.flags(),
          DNSKEYRecord.Protocol.DNSSEC, algorithm.number(), pair.getPublic());
      return new ZoneKey(role, dnskey, pair.getPrivate());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("dnsjava cannot encode a " + algorithm + " key: " + e.getMessage(), e);
    }
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
        deleteTree(retired);
      }
    } finally {
      if (Files.exists(fresh)) {
        deleteTree(fresh);
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

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
