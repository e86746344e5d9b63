package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.server.DnsHandler;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * The keys a validator will need of a signed cut are fetched beside the walk (RFC 4035 5.2), and
 * after the walk's own next query: that one is what the client waits for. The TLD server sees the
 * questions in the order they were sent (one loopback socket each, sent one after another).
 */
class KeyPrefetchOrderTest {
  private static final Queue<String> askedOfTheTld = new ConcurrentLinkedQueue<>();

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).signed()
      .interceptedBy(role -> role != LabRole.TLD ? List.of() : List.<DnsHandler>of((request, next) -> {
        askedOfTheTld.add(request.question().getName().toString().toLowerCase() + " "
            + Type.string(request.question().getType()));
        return next.proceed(request);
      }))
      .emptyCacheBeforeEach();

  @Test
  void asksTheNextQuestionOfTheWalkBeforeTheKeysOfTheCut() throws Exception {
    recursor.server().resolver().validationFlush().flushedAll();
    askedOfTheTld.clear();

    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, true, false, false);

    assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    // At the root's referral to com: the walk asks com's servers for google.com (QNAME
    // minimisation, RFC 9156), and the prefetch asks them for com's DNSKEY RRset.
    List<String> asked = List.copyOf(askedOfTheTld);
    assertThat(asked).contains("google.com. A", "com. DNSKEY");
    assertThat(asked.indexOf("google.com. A")).isLessThan(asked.indexOf("com. DNSKEY"));
  }
}
