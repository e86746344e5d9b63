package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;
import java.util.Optional;

/**
 * dnslab's own recursor over every shipped scenario, held to the same checks as the others, except
 * the DNSSEC ones: it does not validate yet, so those are reported as skipped with that reason. It can
 * ask upstream on any port, so without root the lab and the recursor move to free high ports
 * instead of skipping.
 */
class DnslabRecursorMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver(boolean validating) {
    return new DnslabRecursor();
  }

  @Override
  Optional<String> doesNotValidate() {
    return Optional.of("dnslab's recursor does not validate DNSSEC yet (issue 14)");
  }

  @Override
  List<Tool> requiredTools() {
    return List.of();
  }

  @Override
  int labPort() {
    return Tool.PORT_53.isPresent() ? 53 : 0;
  }
}
