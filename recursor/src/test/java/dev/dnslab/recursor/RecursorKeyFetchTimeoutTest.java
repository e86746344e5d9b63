package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.fault.DropFault;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.recursor.dnssec.ValidationLimits;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A DNSKEY fetch that times out in a recursor: google.com's server never answers its DNSKEY
 * question, and the validator gives up on it after its key fetch timeout, long before the fetch's
 * own resolution would. The answer is DNSSEC Indeterminate (RFC 8914 4.6), and the validation that
 * gave up goes on on the recursor's event loop, as one whose keys came would.
 */
class RecursorKeyFetchTimeoutTest {
  private static final Name GOOGLE = Name.fromConstantString("google.com.");
  private static final Name WWW = Name.fromConstantString("www.google.com.");

  @TempDir
  Path stateDir;

  @Test
  void goesOnWithAValidationWhoseKeyFetchTimedOutOnAnEventLoop() throws Exception {
    try (LabHierarchy lab = silentGoogleKeys();
        RecursorServer recursor = validating(lab)) {
      Optional<EventExecutor> endedOn = recursor.resolver().resolve(WWW, Type.A)
          .thenApply(outcome -> Optional.ofNullable(ThreadExecutorMap.currentExecutor()))
          .get(10, TimeUnit.SECONDS);

      assertThat(endedOn).as("the event loop the validation ended on (none: the JDK's Delayer thread)").isPresent();
    }
  }

  @Test
  void answersDnssecIndeterminateWhenAKeyFetchTimesOut() throws Exception {
    try (LabHierarchy lab = silentGoogleKeys();
        RecursorServer recursor = validating(lab)) {
      Message response = Dig.queryEdns(recursor.dnsAddress(), WWW.toString(), Type.A, true, false, false);

      assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(Dig.ede(response).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.DNSSEC_INDETERMINATE);
      assertThat(Dig.ede(response).getText()).contains("google.com./DNSKEY", "timed out or failed");
    }
  }

  private LabHierarchy silentGoogleKeys() throws Exception {
    return LabHierarchy.startSigned(LabHierarchy.LAB_ZONES, stateDir, role -> role == LabRole.AUTHORITATIVE
        ? List.of(new DropFault(new QueryMatch(List.of(GOOGLE), Set.of(Type.DNSKEY)), 1, 1, FaultListener.NONE))
        : List.of());
  }

  private static RecursorServer validating(LabHierarchy lab) throws Exception {
    ValidationLimits d = ResolutionLimits.DEFAULT.validation();
    ValidationLimits quickKeyFetches = new ValidationLimits(d.maxKeysPerTag(), d.maxSignatureVerifications(),
        d.maxNsec3Hashes(), d.maxNsec3Iterations(), d.maxChainDepth(), d.maxKeyFetches(), Duration.ofMillis(300),
        d.maxKeyTtl(), d.bogusKeyTtl(), d.maxBogusKeyTtl(), d.keyCacheSize());
    return new RecursorServer(lab.recursorConfig()
        .dnssec(DnssecValidation.anchors(lab.trustAnchor().ds()))
        .limits(ResolutionLimits.DEFAULT.withValidation(quickKeyFetches))
        .build()).start();
  }
}
