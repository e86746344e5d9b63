package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.recursor.trace.Trace;
import dev.dnslab.recursor.trace.TraceStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A name server cycle (test.'s cycle-a.test is served by ns.cycle-b.test and cycle-b.test by
 * ns.cycle-a.test, no glue): the recursor sees the cycle and fails at once, saying why.
 */
class RecursorNameServerCycleTest {
  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.SCENARIO_ZONES).emptyCacheBeforeEach();

  @Test
  void failsWithTheCycleAsTheReasonInTheTrace() throws Exception {
    Trace trace = recursor.server().resolver().trace(Name.fromString("www.cycle-a.test."), Type.A).get();

    assertThat(trace.rcode()).isEqualTo("SERVFAIL");
    assertThat(trace.failure())
        .startsWith("no name server of cycle-a.test. gave a usable reply (the address of ns.cycle-b.test. failed: "
            + "no name server of cycle-b.test. gave a usable reply (the address of ns.cycle-a.test. failed: "
            + "no name server of cycle-a.test. gave a usable reply (ns.cycle-b.test. is already being looked up for"
            + " this question: a name server cycle)))");
    // Root, test. for each of the three names: nothing more is sent once the cycle is seen.
    assertThat(trace.upstreamQueries()).isLessThanOrEqualTo(6);
    // Seen at once, not waited out: no query timed out, and the failure is the cycle, not the deadline.
    assertThat(trace.steps()).extracting(TraceStep::reply).doesNotContain("TIMEOUT");
  }
}
