package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.LabRole;
import dev.dnslab.recursor.trace.Trace;
import dev.dnslab.recursor.trace.TraceStep;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The upstream policy's do-not-query rules against referrals in real zones: test.'s self.test is
 * delegated to the recursor's own address (.53 of the plan, inside the allow-list), loopback.test
 * to 127.0.0.1 (loopback the allow-list does not name). Neither is ever queried, and /trace says
 * which rule refused the address.
 */
class RecursorDoNotQueryTest {
  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.SCENARIO_ZONES)
      // Listen where the plan puts the recursor, on the port the lab's servers are asked on.
      .configure(config -> config.listen(RecursorDoNotQueryTest.recursor.lab().plan().dnsAddress(LabRole.RECURSOR)))
      .emptyCacheBeforeEach();

  @Test
  void neverQueriesItsOwnListeningAddress() throws Exception {
    Trace trace = recursor.server().resolver().trace(Name.fromString("www.self.test."), Type.A).get();

    assertThat(trace.rcode()).isEqualTo("SERVFAIL");
    TraceStep blocked = trace.steps().get(trace.steps().size() - 1);
    assertThat(blocked.reply()).isEqualTo("BLOCKED");
    assertThat(blocked.server().address()).isEqualTo(recursor.server().dnsAddress().getAddress().getHostAddress());
    assertThat(blocked.blocked().rule()).isEqualTo("OWN_ADDRESS");
    assertThat(trace.steps()).filteredOn(s -> s.blocked() != null).hasSize(1);
  }

  @Test
  void neverQueriesLoopbackTheAllowListDoesNotName() throws Exception {
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", recursor.lab().port());
    try (DatagramSocket listener = new DatagramSocket(loopback)) {
      listener.setSoTimeout(50);

      Trace trace = recursor.server().resolver().trace(Name.fromString("www.loopback.test."), Type.A).get();
      Message response = Dig.query(recursor.server().dnsAddress(), "www.loopback.test.", Type.A);

      assertThat(trace.rcode()).isEqualTo("SERVFAIL");
      assertThat(trace.steps()).filteredOn(s -> "BLOCKED".equals(s.reply()))
          .extracting(s -> s.blocked().rule()).containsOnly("LOOPBACK");
      assertThat(trace.failure()).contains("no name server of loopback.test.");
      assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
      boolean received;
      try {
        listener.receive(new DatagramPacket(new byte[512], 512));
        received = true;
      } catch (SocketTimeoutException expected) {
        received = false;
      }
      assertThat(received).as("a packet reached 127.0.0.1").isFalse();
    }
  }

  @Test
  void leavesOrdinaryStepsWithoutABlockedRule() throws Exception {
    Trace trace = recursor.server().resolver().trace(Name.fromString("ns.alive.other."), Type.A).get();

    assertThat(trace.rcode()).isEqualTo("NOERROR");
    assertThat(trace.steps()).allSatisfy(step -> assertThat(step.blocked()).isNull());
  }
}
