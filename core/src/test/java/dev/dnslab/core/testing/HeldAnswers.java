package dev.dnslab.core.testing;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * A handler that answers one name only when the test releases it, from the test's thread, as a
 * recursor's answer comes from another thread than the connection's; any other name at once. Both
 * answers are NOERROR with no records: what such a test proves is the transport, not the answer.
 *
 * <pre>{@code
 * HeldAnswers held = new HeldAnswers("held.example.");
 * DnsServer.builder("test")...chain(HandlerChain.of(held))...start();
 * // ask held.example. on a connection, then
 * Poll.until(deadline, () -> held.count() == 1, "the held query in flight");
 * held.release(0);
 * }</pre>
 */
public final class HeldAnswers implements DnsHandler {
  private final Name held;
  /** Answers each held query when run, in the order the queries came. */
  private final List<Runnable> answers = new CopyOnWriteArrayList<>();

  /** @param name the absolute name whose queries are held, e.g. {@code "held.example."} */
  public HeldAnswers(String name) {
    this.held = Name.fromConstantString(name);
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    if (!request.question().getName().equals(held)) {
      return CompletableFuture.completedFuture(request.newResponse(Rcode.NOERROR));
    }
    CompletableFuture<Message> answer = new CompletableFuture<>();
    answers.add(() -> answer.complete(request.newResponse(Rcode.NOERROR)));
    return answer;
  }

  /** How many held queries have come, answered or not. */
  public int count() {
    return answers.size();
  }

  /** Answers the {@code index}th held query (from 0), on the calling thread. */
  public void release(int index) {
    answers.get(index).run();
  }

  /** Answers every held query not answered yet: for a test's clean-up. */
  public void releaseAll() {
    answers.forEach(Runnable::run);
  }
}
