package dev.dnslab.recursor.doh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Header;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

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

  /**
   * RFC 8484 5.1: the freshness lifetime must not exceed the smallest TTL in the answer; for a
   * negative answer that is the SOA's TTL, or its MINIMUM field when smaller (RFC 2308 5). Reads
   * only the TTLs of the answer and authority sections, skipping the rest: a full parse into a
   * {@link org.xbill.DNS.Message} cost more than the rest of the DoH path. 0 for bytes that are no
   * DNS message or hold no record in those sections.
   */
  static long maxAgeSeconds(byte[] wire) {
    try {
      Header header = new Header(wire);
      DNSInput in = new DNSInput(wire);
      in.jump(Header.LENGTH);
      for (int i = 0; i < header.getCount(Section.QUESTION); i++) {
        new Name(in);
        in.readU16(); // QTYPE
        in.readU16(); // QCLASS
      }
      long min = Long.MAX_VALUE;
      int records = header.getCount(Section.ANSWER) + header.getCount(Section.AUTHORITY);
      for (int i = 0; i < records; i++) {
        new Name(in);
        int type = in.readU16();
        in.readU16(); // CLASS
        min = Math.min(min, in.readU32());
        int rdlength = in.readU16();
        if (rdlength > in.remaining()) {
          return 0; // truncated
        }
        int rdataEnd = in.current() + rdlength;
        if (type == Type.SOA && rdlength >= 4 && i >= header.getCount(Section.ANSWER)) {
          in.jump(rdataEnd - 4); // RFC 1035 3.3.13: MINIMUM is the SOA's last field
          min = Math.min(min, in.readU32());
        } else if (in.remaining() > rdlength) {
          in.jump(rdataEnd); // DNSInput refuses to jump to the very end: only to a next record
        }
      }
      return min == Long.MAX_VALUE ? 0 : min;
    } catch (IOException e) {
      return 0;
    }
  }
}
