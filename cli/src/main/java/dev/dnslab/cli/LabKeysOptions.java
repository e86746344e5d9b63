package dev.dnslab.cli;

import dev.dnslab.core.dnssec.DnssecPolicyException;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.tls.LabCertificateAuthority;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the lab's keys and zones are, for the commands that read or make keys (a picocli mixin):
 * the same state dir and zones folder {@code dnslab up} and the name servers use, so they see the
 * lab's keys, not new ones.
 */
final class LabKeysOptions {
  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "The lab's state folder, keys in keys/ (default: $DNSLAB_STATE_DIR or ~/.dnslab).")
  Path stateDir;

  @Option(names = "--zones", paramLabel = "DIR",
      description = "The zones folder with root/, tld/, authoritative/ and dnssec.yaml (default: ./zones or the bundled copy).")
  Path zones;

  Path stateDir() {
    return stateDir != null ? stateDir : LabCertificateAuthority.defaultStateDir();
  }

  Path zones() {
    return zones != null ? zones : BundledZones.locate();
  }

  /** The lab's signer: its keys, its policy, the default signature window. */
  ZoneSigner signer() throws DnssecPolicyException {
    return ZoneSigner.forLab(stateDir(), zones());
  }
}
