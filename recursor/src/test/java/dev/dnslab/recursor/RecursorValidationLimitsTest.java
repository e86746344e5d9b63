package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.recursor.dnssec.ValidationLimits;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The validator's work caps come from the recursor's {@link ResolutionLimits}, like every other
 * budget of a resolution: a recursor allowed a single signature verification per answer cannot
 * validate even the lab's www.google.com (root, com and google.com keys, then the A RRset), and
 * says so with DNSSEC Bogus (RFC 8914 4.7) naming the KeyTrap cap.
 */
class RecursorValidationLimitsTest {
  private static final ValidationLimits ONE_VERIFICATION = new ValidationLimits(ResolutionLimits.MAX_KEYS_PER_TAG,
      1, ResolutionLimits.MAX_NSEC3_HASHES, ResolutionLimits.MAX_NSEC3_ITERATIONS, ResolutionLimits.MAX_CHAIN_DEPTH,
      ResolutionLimits.MAX_KEY_FETCHES, ResolutionLimits.KEY_FETCH_TIMEOUT, ResolutionLimits.MAX_KEY_TTL,
      ResolutionLimits.BOGUS_KEY_TTL, ResolutionLimits.MAX_BOGUS_KEY_TTL, ResolutionLimits.KEY_CACHE_SIZE);

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).signed()
      .configure(config -> config.limits(ResolutionLimits.DEFAULT.withValidation(ONE_VERIFICATION)));

  @Test
  void holdsValidationToTheConfiguredSignatureCap() throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, true, false, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(Dig.ede(response).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.DNSSEC_BOGUS);
    assertThat(Dig.ede(response).getText()).contains("more than 1 signature verifications", "CVE-2023-50387");
  }
}
