package dev.dnslab.cli;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.lab.FileTrees;
import dev.dnslab.core.tls.LabCertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The state folder of the launcher's training start ({@code up --stop-after-first-answer} without
 * {@code --state-dir}, run by ./dnslab right after it builds the jar): the default one
 * ($DNSLAB_STATE_DIR or ~/.dnslab) while it holds no lab keys and no lab CA, so the learner's first
 * {@code up} finds them made instead of spending 0.4-1.0 s on the root's RSA prime search; else a
 * throw-away folder, deleted at {@link #close}, so keys a user has (and a lab running beside the
 * rebuild) are never touched, and the training still makes keys for the class-data archive. The
 * training runs in the launcher's own process tree, as the same user with the same environment as
 * the {@code up} it precedes ({@code sudo ./dnslab up} builds and runs as root: the same HOME for
 * both), so both see one default folder. A user's {@code up} starting during the training shares
 * the keys: KeyDirectory and LabCertificateAuthority make them once under a lock, and never replace
 * what a folder holds.
 */
final class TrainingStateDir implements AutoCloseable {
  private final Path dir;
  private final boolean throwAway;

  private TrainingStateDir(Path dir, boolean throwAway) {
    this.dir = requireNonNull(dir, "dir");
    this.throwAway = throwAway;
  }

  /** {@code defaultDir} when it holds no lab keys or CA and can be written, else a new temporary folder. */
  static TrainingStateDir choose(Path defaultDir) throws IOException {
    if (holdsNoLabKeys(defaultDir) && writable(defaultDir)) {
      return new TrainingStateDir(defaultDir, false);
    }
    return new TrainingStateDir(Files.createTempDirectory("dnslab-training-"), true);
  }

  /** No keys folder and no CA: what a learner's first `up` would make keys and CA in. */
  static boolean holdsNoLabKeys(Path stateDir) {
    return !Files.exists(stateDir.resolve(KeyDirectory.FOLDER))
        && !Files.exists(stateDir.resolve(LabCertificateAuthority.CA_FILE))
        && !Files.exists(stateDir.resolve(LabCertificateAuthority.CA_KEY_FILE));
  }

  /** A folder the training cannot make keys in would fail it, and with it the archive. */
  private static boolean writable(Path stateDir) {
    try {
      Files.createDirectories(stateDir);
      return Files.isWritable(stateDir);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  Path dir() {
    return dir;
  }

  /** What the training's log says of its state folder. */
  String describe() {
    return throwAway
        ? "state folder " + dir + " (throw-away: the default one holds lab keys already)"
        : "state folder " + dir + " (the default one: the lab's keys and CA made there for the first up)";
  }

  @Override
  public void close() {
    if (!throwAway) {
      return;
    }
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("the training start's state folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
