package dev.dnslab.core.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/** Reading an admin request's query string ({@code /trace?name=&type=}). */
public final class QueryParameters {
  private QueryParameters() {}

  /** The first value of {@code key}, or null when it is missing or blank. */
  public static String first(QueryStringDecoder query, String key) {
    List<String> values = query.parameters().get(key);
    return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
  }
}
