package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers with the right ID but another question: an A record for {@code otherName} pointing at
 * {@code address}, as if answering someone else's query. RFC 5452 3 and 9.1, RFC 1035 7.3: the question
 * section must match the query, or the resolver drops the response and never uses its data.
 */
public final class WrongQuestionFault extends FaultHandler {
  private final Name otherName;
  private final java.net.InetAddress address;

  public WrongQuestionFault(QueryMatch match, Name otherName, java.net.InetAddress address, FaultListener listener) {
    super("wrong-question", match, listener);
    this.otherName = requireNonNull(otherName, "otherName");
    this.address = requireNonNull(address, "address");
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    Message response = new Message(request.id());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.getHeader().setRcode(Rcode.NOERROR);
    Record question = request.question();
    response.addRecord(Record.newRecord(otherName, Type.A, question.getDClass()), Section.QUESTION);
    response.addRecord(new ARecord(otherName, question.getDClass(), 300, address), Section.ANSWER);
    return CompletableFuture.completedFuture(response);
  }
}
