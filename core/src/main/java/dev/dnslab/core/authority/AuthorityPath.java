package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.HandlerChain;

/**
 * How an authority role answers: its handler chain ({@link AuthorityServer#path}) and, only when
 * that chain is the plain one (no response rate limiting, no interceptors such as a scenario's
 * faults or query journal), the shortcut past it for queries already answered once; null otherwise.
 * The one who builds the chain knows what is in it, so the shortcut comes from there.
 */
public record AuthorityPath(HandlerChain chain, TemplateShortcut shortcut) {
  public AuthorityPath {
    requireNonNull(chain, "chain");
  }
}
