package dev.dnslab.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The question a class-data sharing training start of {@code dnslab up} asks before it stops (the
 * hidden {@code up --stop-after-first-answer}, which the ./dnslab launcher runs right after it builds
 * the jar): www.google.com A of the lab's recursor over its own UDP socket, as a learner's first
 * {@code dig} does, so the archive holds the classes of the recursor's walk from the root down and
 * its validation, not only those of the start. The launcher needs no DNS client of its own for it.
 */
final class FirstAnswerTraining {
  /** The name the lab summary's first "Try:" line gives a learner, the bench's first answer too. */
  static final Name QUESTION = Name.fromConstantString("www.google.com.");

  /** A fresh lab's first walk takes ~0.5 s here; a loaded machine (a build beside it) far longer. */
  private static final Duration PER_TRY = Duration.ofSeconds(5);

  private static final int TRIES = 6;

  private FirstAnswerTraining() {}

  /** True once the recursor answered the question with an address, false after every try failed. */
  static boolean ask(InetSocketAddress recursor) {
    SimpleResolver client = new SimpleResolver(recursor);
    client.setTimeout(PER_TRY);
    Message query = Message.newQuery(Record.newRecord(QUESTION, Type.A, DClass.IN));
    for (int i = 0; i < TRIES; i++) {
      try {
        Message reply = client.send(query);
        if (reply.getRcode() == Rcode.NOERROR && !reply.getSection(Section.ANSWER).isEmpty()) {
          return true;
        }
      } catch (IOException e) {
        // No answer within PER_TRY (the walk still running): ask again.
      }
    }
    return false;
  }
}
