package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.trace.TraceOutcome;
import dev.dnslab.recursor.trace.TraceRecorder;
import dev.dnslab.recursor.trace.TraceStep;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Writes one {@link TraceStep} per upstream exchange of a traced resolution ({@code /trace}); for
 * a resolution that is not traced ({@link #NONE}) it writes nothing.
 */
final class TraceWriter {
  static final TraceWriter NONE = new TraceWriter(null, new ServerRoleNamer(List.of()), 0);

  private final TraceRecorder recorder;
  private final ServerRoleNamer roles;
  private final int upstreamPort;

  TraceWriter(TraceRecorder recorder, ServerRoleNamer roles, int upstreamPort) {
    this.recorder = recorder;
    this.roles = requireNonNull(roles, "roles");
    this.upstreamPort = upstreamPort;
  }

  /** The trace outcome of a classified reply: the reply type of the same name. */
  static TraceOutcome outcomeOf(ReplyType type) {
    return switch (type) {
      case ANSWER -> TraceOutcome.ANSWER;
      case REFERRAL -> TraceOutcome.REFERRAL;
      case CNAME -> TraceOutcome.CNAME;
      case NXDOMAIN -> TraceOutcome.NXDOMAIN;
      case NODATA -> TraceOutcome.NODATA;
      case YXDOMAIN -> TraceOutcome.YXDOMAIN;
      case LAME -> TraceOutcome.LAME;
      case THROWAWAY -> TraceOutcome.THROWAWAY;
    };
  }

  /**
   * One exchange: what was sent where, what came back ({@code reply} null without one) and, in
   * {@code note}, what the iterator does next.
   */
  void write(Exchange sent, int depth, DelegationPoint delegation, TraceOutcome outcome, Message reply, String note) {
    write(sent, depth, delegation, outcome, reply, note, null);
  }

  /** As above; {@code blocked} says which policy rule refused the send, for a BLOCKED step. */
  void write(Exchange sent, int depth, DelegationPoint delegation, TraceOutcome outcome, Message reply, String note,
      TraceStep.Blocked blocked) {
    if (recorder == null) {
      return;
    }
    Record question = sent.query().getQuestion();
    Name ns = delegation.nameServerOf(sent.server());
    TraceStep.Server server = new TraceStep.Server(
        roles.roleOf(sent.server(), delegation.zone()),
        ns == null ? null : ns.toString(),
        sent.server().getHostAddress(),
        upstreamPort);
    recorder.add(new TraceStep(
        recorder.nextStepNumber(),
        depth,
        delegation.zone().toString(),
        server,
        new TraceStep.Question(sent.questionNameAsSent().toString(), Type.string(question.getType())),
        sent.transport().tag(),
        outcome.name(),
        reply == null ? null : Rcode.string(reply.getRcode()),
        reply != null && reply.getHeader().getFlag(Flags.AA),
        lines(reply, Section.ANSWER),
        lines(reply, Section.AUTHORITY),
        lines(reply, Section.ADDITIONAL),
        sent.elapsedMillis(),
        note,
        blocked));
  }

  private static List<String> lines(Message message, int section) {
    if (message == null) {
      return List.of();
    }
    return message.getSection(section).stream()
        .filter(r -> r.getType() != Type.OPT)
        .map(Record::toString)
        .toList();
  }
}
