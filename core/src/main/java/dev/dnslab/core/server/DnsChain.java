package dev.dnslab.core.server;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/** The rest of the handler chain, as seen from one handler. */
@FunctionalInterface
public interface DnsChain {
  CompletionStage<Message> proceed(DnsRequest request);
}
