package dev.dnslab.recursor.doh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What an RFC 8484 request on {@code /dns-query} asks, read from its method, target, content type
 * and body, the same for HTTP/1.1 ({@link DohHttpHandler}) and HTTP/2 ({@link DohHttp2Handler}):
 * the DNS query, or the HTTP error that says why there is none.
 */
sealed interface DohRequest {
  String PATH = "/dns-query";
  String MEDIA_TYPE = "application/dns-message";

  /** A DNS message in wire format, to go through the query processor. */
  record Query(byte[] packet) implements DohRequest {}

  /** No DNS message: answered with {@code status} and {@code reason} as text. */
  record Rejected(HttpResponseStatus status, String reason) implements DohRequest {}

  /** GET with {@code ?dns=} (base64url, no padding, RFC 8484 4.1) or POST with a dns-message body. */
  static DohRequest read(String method, String target, CharSequence contentType, ByteBuf body) {
    QueryStringDecoder uri = new QueryStringDecoder(target);
    if (!PATH.equals(uri.path())) {
      return new Rejected(HttpResponseStatus.NOT_FOUND, "DNS over HTTPS lives at " + PATH);
    }
    if (HttpMethod.GET.name().equals(method)) {
      List<String> dns = uri.parameters().get("dns");
      if (dns == null || dns.isEmpty()) {
        return new Rejected(HttpResponseStatus.BAD_REQUEST, "missing ?dns= (RFC 8484 4.1)");
      }
      try {
        return new Query(Base64.getUrlDecoder().decode(dns.get(0)));
      } catch (IllegalArgumentException e) {
        return new Rejected(HttpResponseStatus.BAD_REQUEST, "dns: not base64url");
      }
    }
    if (HttpMethod.POST.name().equals(method)) {
      if (contentType == null || !contentType.toString().startsWith(MEDIA_TYPE)) {
        return new Rejected(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "expected " + MEDIA_TYPE);
      }
      return new Query(ByteBufUtil.getBytes(body));
    }
    return new Rejected(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or POST");
  }

  /** The answer to a processed query: an empty list means the bytes were no DNS query. */
  static Rejected notADnsQuery() {
    return new Rejected(HttpResponseStatus.BAD_REQUEST, "not a DNS query");
  }

  /** RFC 8484 5.1: the freshness lifetime must not exceed the smallest TTL in the answer. */
  static long maxAgeSeconds(byte[] wire) {
    try {
      Message message = new Message(wire);
      long min = Long.MAX_VALUE;
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
        for (Record record : message.getSection(section)) {
          min = Math.min(min, record.getTTL());
        }
      }
      return min == Long.MAX_VALUE ? 0 : min;
    } catch (IOException e) {
      return 0;
    }
  }
}
