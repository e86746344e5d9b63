package dev.dnslab.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request message laid out as the articles teach it: the start line (method, target, version), the
 * headers grouped as request, general and representation headers, and the body; plus who sent it,
 * to which server address, over which protocol. Serialised as JSON by Jackson and as HTML by
 * {@link EchoPage}.
 */
record RequestEcho(
    StartLine startLine,
    String protocol,
    String scheme,
    Endpoint client,
    Endpoint server,
    Map<String, List<Header>> headers,
    List<Header> pseudoHeaders,
    Body body) {

  /** Bodies are shown up to this size; the rest is counted, not printed. */
  static final int MAX_BODY_SHOWN = 16 * 1024;

  private static final String HTTP2_EXTENSION_PREFIX = "x-http2-";

  record StartLine(String method, String target, String version, String note) {}

  record Endpoint(String address, int port) {
    static Endpoint of(InetSocketAddress address) {
      return address == null ? null : new Endpoint(address.getAddress().getHostAddress(), address.getPort());
    }
  }

  record Header(String name, String value) {}

  /** {@code text} is the body as UTF-8 when it is valid UTF-8, else null (then {@code hex}). */
  record Body(int bytes, String text, String hex, boolean truncated) {}

  static RequestEcho of(WebExchange exchange) {
    Map<String, List<Header>> groups = new LinkedHashMap<>();
    for (HeaderGroup group : HeaderGroup.values()) {
      groups.put(group.key(), new ArrayList<>());
    }
    List<Header> pseudo = new ArrayList<>();
    StartLine startLine;
    if (exchange.isHttp2()) {
      exchange.http2Headers().forEach(entry -> {
        String name = entry.getKey().toString();
        Header header = new Header(name, entry.getValue().toString());
        if (name.startsWith(":")) {
          pseudo.add(header);
        } else {
          groups.get(HeaderGroup.of(name).key()).add(header);
        }
      });
      startLine =
          new StartLine(
              String.valueOf(exchange.http2Headers().method()),
              String.valueOf(exchange.http2Headers().path()),
              "HTTP/2",
              "HTTP/2 has no start line: the method and target travel as the :method and :path"
                  + " pseudo-header fields (RFC 9113 8.3.1), in a binary HEADERS frame.");
    } else {
      exchange.request().headers().forEach(entry -> {
        if (!entry.getKey().regionMatches(true, 0, HTTP2_EXTENSION_PREFIX, 0, HTTP2_EXTENSION_PREFIX.length())) {
          groups.get(HeaderGroup.of(entry.getKey()).key()).add(new Header(entry.getKey(), entry.getValue()));
        }
      });
      startLine =
          new StartLine(
              exchange.request().method().name(),
              exchange.request().uri(),
              exchange.request().protocolVersion().text(),
              null);
    }
    return new RequestEcho(
        startLine,
        exchange.protocol(),
        exchange.scheme(),
        Endpoint.of(exchange.client()),
        Endpoint.of(exchange.server()),
        groups,
        pseudo,
        bodyOf(exchange.request().content()));
  }

  private static Body bodyOf(ByteBuf content) {
    int size = content.readableBytes();
    int shown = Math.min(size, MAX_BODY_SHOWN);
    byte[] bytes = ByteBufUtil.getBytes(content, content.readerIndex(), shown);
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return new Body(size, text, null, shown < size);
    } catch (CharacterCodingException e) {
      return new Body(size, null, ByteBufUtil.hexDump(bytes), shown < size);
    }
  }
}
