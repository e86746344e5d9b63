package dev.dnslab.core.wire;

import static java.util.Objects.requireNonNull;

import org.xbill.DNS.Message;

/**
 * A response built from an {@link AnswerTemplate}: an ordinary dnsjava message that every handler
 * may read and change, which {@link DnsResponseEncoder} writes from the template's bytes as long
 * as it still holds the template's records.
 */
public final class TemplatedResponse extends Message {
  private final AnswerTemplate template;

  TemplatedResponse(AnswerTemplate template, int id) {
    super(id);
    this.template = requireNonNull(template, "template");
  }

  /** The wire form from the template, or null when it no longer applies (then dnsjava renders). */
  byte[] fromTemplate(int limit) {
    return template.render(this, limit);
  }
}
