package dev.dnslab.cli.visit;

import java.util.Locale;
import java.util.Map;

/**
 * The words of the walk in English and in the articles' Korean (브라우저 캐시, 루트 네임 서버, SYN_SENT, ...).
 * Each text is a {@link String#format} pattern.
 */
enum Vocabulary {
  EN, KO;

  private static final Map<String, String[]> TEXTS = Map.ofEntries(
      t("visiting", "Visiting %s", "%s 방문"),
      t("caches.title", "1) Finding %s's IP address: the browser checks four DNS caches, in order",
          "1) 캐시 확인: 브라우저는 %s의 IP 주소를 찾기 위해 4개의 캐시를 순서대로 확인한다"),
      t("cache.browser", "browser cache", "브라우저 캐시"),
      t("cache.os", "OS cache", "OS 캐시"),
      t("cache.router", "router cache", "라우터 캐시"),
      t("cache.isp", "ISP cache", "ISP 캐시"),
      t("result.hit", "hit", "있음 (hit)"),
      t("result.miss", "miss", "없음 (miss)"),
      t("result.skipped", "not asked (already found)", "확인 안 함 (이미 찾음)"),
      t("result.unknown", "unknown (cannot ask)", "알 수 없음"),
      t("ttl", "TTL %d s left", "TTL %d초 남음"),
      t("found.cache", "Found in the %s: %s = %s. The walk to the name servers is skipped.",
          "%s에서 찾음: %s = %s. 네임 서버에 묻는 과정은 건너뛴다."),
      t("walk.title", "2) DNS query: the ISP's DNS recursor asks the name servers (no cache had it)",
          "2) DNS 서버 요청: 캐시에 없으므로 ISP의 DNS 서버(DNS recursor)가 네임 서버들에게 묻는다"),
      t("walk.skipped.title", "2) DNS query: not needed, a cache had the address",
          "2) DNS 서버 요청: 캐시에 IP 주소가 있어서 필요 없다"),
      t("walk.cached.title", "2) DNS query: the %s answered; no name server was asked",
          "2) DNS 서버 요청: %s가 응답했으므로 네임 서버에 묻지 않았다"),
      t("role.root", "root name server", "루트 네임 서버"),
      t("role.tld", "TLD name server", "TLD 네임 서버"),
      t("role.authoritative", "authoritative name server", "Authoritative 네임 서버"),
      t("walk.asked", "asked", "질의"),
      t("walk.referral", "referral to the %s name servers: %s", "%s 네임 서버로 리다이렉트 (referral): %s"),
      t("walk.answer", "answer: %s", "응답 (answer): %s"),
      t("walk.other", "%s", "%s"),
      t("walk.nameserver", "(looking up a name server's address)", "(네임 서버의 주소 찾기)"),
      t("walk.summary", "The walk: %d queries in %.1f ms.", "조회: 질의 %d번, %.1f ms."),
      t("walk.unavailable", "The recursor's trace is not available (%s).", "recursor의 trace를 볼 수 없다 (%s)."),
      t("dnssec.title", "The chain of trust (DNSSEC), from the root's trust anchor down: %s %s%s",
          "신뢰 체인 (DNSSEC), 루트의 trust anchor부터: %s %s%s"),
      t("dnssec.ede", ", EDE %d %s", ", EDE %d %s"),
      t("security.SECURE", "secure", "안전 (secure)"),
      t("security.INSECURE", "insecure (unsigned)", "서명 없음 (insecure)"),
      t("security.BOGUS", "BOGUS", "검증 실패 (bogus)"),
      t("security.INDETERMINATE", "indeterminate", "판단 불가 (indeterminate)"),
      t("dnssec.anchor", "the trust anchor", "trust anchor"),
      t("dnssec.ds", "DS from %s: %s", "DS (%s에서 받음): %s"),
      t("dnssec.keys", "DNSKEY: %s", "DNSKEY: %s"),
      t("dnssec.trusted", "(matches the DS)", "(DS와 일치)"),
      t("dnssec.signed", "signed: %s", "서명: %s"),
      t("dnssec.signature", "%s %s by key %d %s", "%s %s, 키 %d %s"),
      t("dnssec.breaks", "%s The chain of trust breaks at %s: %s", "%s 신뢰 체인이 %s에서 끊어진다: %s"),
      t("address", "IP address: %s = %s (TTL %s s). DNS answer:", "IP 주소: %s = %s (TTL %s초). DNS 응답:"),
      t("no.address", "No IP address for %s: the browser shows an error page.",
          "%s의 IP 주소가 없다: 브라우저는 오류 페이지를 보여준다."),
      t("cached.now", "Now cached by the router and the ISP's recursor, the OS (TTL) and the browser (up to %d s).",
          "이제 라우터, ISP의 DNS 서버, OS (TTL 동안), 브라우저 (최대 %d초) 캐시에 저장되었다."),
      t("tcp.title", "3) TCP connection: the three-way handshake with %s", "3) TCP 연결: %s와 three-way handshake"),
      t("tcp.captured", "captured from the wire on %s", "%s에서 캡처한 실제 패킷"),
      t("tcp.connect", "connect() took %.3f ms (from %s)", "connect() 시간 %.3f ms (클라이언트 %s)"),
      t("tcp.notcaptured", "Packets not captured: %s", "패킷을 캡처하지 못함: %s"),
      t("state", "%s is now %s", "%s 상태: %s"),
      t("side.client", "client", "클라이언트"),
      t("side.server", "server", "서버"),
      t("request.title", "4) HTTP request message (the browser sends GET)", "4) HTTP 요청 메시지 (브라우저가 GET 요청을 보낸다)"),
      t("request.start", "start line: %s   (method %s, request target %s, HTTP version %s)",
          "start line: %s   (HTTP 메소드 %s, Request target %s, HTTP version %s)"),
      t("headers", "headers:", "headers:"),
      t("group.request", "request header", "Request header"),
      t("group.response", "response header", "Response header"),
      t("group.general", "general header", "General header"),
      t("group.representation", "representation header", "Representation header"),
      t("request.body", "body: none (GET asks for a resource and carries no body)",
          "body: 없음 (GET처럼 리소스를 가져오는 요청은 본문을 넣지 않는다)"),
      t("response.title", "   HTTP response message (the server processed the request and answers, %.1f ms%s)",
          "   HTTP 응답 메시지 (서버가 요청을 처리하고 응답을 보낸다, %.1f ms%s)"),
      t("response.start", "start line: %s   (HTTP version %s, status code %d, status text %s)",
          "start line: %s   (HTTP version %s, Status Code %d, Status Text %s)"),
      t("response.body", "body: %d bytes; Content-Type %s says to read it as %s",
          "body: %d 바이트; Content-Type %s 이므로 %s(으)로 해석한다"),
      t("render.title", "5) Rendering: the browser draws the page", "5) 브라우저 렌더링: 브라우저가 페이지를 화면에 보여준다"),
      t("render.pagetitle", "title: %s", "제목 (title): %s"),
      t("render.text", "text:", "본문 텍스트:"),
      t("render.screenshot", "screenshot: %s", "스크린샷: %s"),
      t("render.noscreenshot", "no screenshot: %s", "스크린샷 없음: %s"),
      t("close.title", "6) Closing the TCP connection", "6) TCP 연결 종료"),
      t("close.client", "The client closed the connection (FIN); the server closed its side too.",
          "클라이언트가 연결을 끊고 (FIN), 서버도 연결을 끊는다."),
      t("close.notcaptured", "The client closed the connection (FIN, not captured).",
          "클라이언트가 연결을 끊었다 (FIN, 캡처하지 못함)."));

  private static Map.Entry<String, String[]> t(String key, String en, String ko) {
    return Map.entry(key, new String[] {en, ko});
  }

  static Vocabulary of(String lang) {
    return lang != null && lang.toLowerCase(Locale.ROOT).startsWith("ko") ? KO : EN;
  }

  String text(String key, Object... args) {
    String[] texts = TEXTS.get(key);
    if (texts == null) {
      throw new IllegalArgumentException("no text: " + key);
    }
    return String.format(Locale.ROOT, texts[ordinal()], args);
  }
}
