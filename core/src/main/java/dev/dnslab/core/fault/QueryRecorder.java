package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * Writes every query one server receives into a {@link QueryJournal}, then passes it on. Install it
 * as the first interceptor, ahead of the faults, so that dropped queries are recorded too; hand it
 * to the faults as their {@link FaultListener} so each injected fault is recorded beside its query.
 */
public final class QueryRecorder implements DnsHandler, FaultListener {
  /** Injected faults are what a scenario is for: logged at INFO, as {@code dnslab.fault.ROLE}. */
  private final Logger log;
  private final String server;
  private final QueryJournal journal;

  public QueryRecorder(String server, QueryJournal journal) {
    this.server = requireNonNull(server, "server");
    this.journal = requireNonNull(journal, "journal");
    this.log = LoggerFactory.getLogger("dnslab.fault." + server);
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    journal.add(RecordedQuery.of(server, request));
    return next.proceed(request);
  }

  @Override
  public void injected(DnsRequest request, String fault) {
    InjectedFault injected = new InjectedFault(fault, RecordedQuery.of(server, request));
    journal.add(injected);
    log.info("{}", injected);
  }

  public String server() {
    return server;
  }

  public QueryJournal journal() {
    return journal;
  }
}
