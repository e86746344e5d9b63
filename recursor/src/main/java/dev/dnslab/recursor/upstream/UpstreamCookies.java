package dev.dnslab.recursor.upstream;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cookie.CookieOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The recursor's side of DNS cookies (RFC 7873 5.1, 5.3): a client cookie per server, the server
 * cookie each server handed out, and the check that a reply echoes our client cookie. A reply
 * that carries someone else's client cookie was not sent to us: it is dropped and counted, the
 * cheap defence against off-path spoofing the cookie exists for (RFC 7873 2.1).
 */
public final class UpstreamCookies {
  public static final String COOKIES = "dns.recursor.upstream.cookies";

  /** Servers whose cookies we keep; the least recently used is forgotten past this. */
  static final int MAX_SERVERS = 4096;

  /** What happened to a cookie, the {@code event} tag of {@code dns_recursor_upstream_cookies_total}. */
  enum Event {
    /** A query left with our client cookie (and a server cookie, once learned). */
    SENT("sent"),
    /** A reply echoed our client cookie. */
    ECHOED("echoed"),
    /** A reply carried a server cookie we did not hold yet, or a fresh one. */
    LEARNED("learned"),
    /** A reply carried another client cookie: dropped as a spoofing attempt. */
    MISMATCHED("mismatched"),
    /** BADCOOKIE came back and the query was sent again once with the new server cookie. */
    BADCOOKIE_RETRIED("badcookie-retried");

    private final String tag;

    Event(String tag) {
      this.tag = tag;
    }
  }

  private final byte[] secret = new byte[16];
  private final Map<InetAddress, ServerCookies> servers = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<InetAddress, ServerCookies> eldest) {
      return size() > MAX_SERVERS;
    }
  };
  private final MeterRegistry registry;
  private final Map<Event, Counter> counters = new ConcurrentHashMap<>();

  public UpstreamCookies(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    new SecureRandom().nextBytes(secret);
  }

  /**
   * Our client cookie for {@code server}: SipHash-2-4 of the server's address under a secret made
   * at start, so each server sees its own cookie and none can track us at another (RFC 7873 4.1;
   * RFC 9018 3 leaves the client's own address out).
   */
  byte[] clientCookie(InetAddress server) {
    return CookieOptions.sipHash24(secret, server.getAddress());
  }

  /**
   * {@code query} as it goes to {@code server}: with a COOKIE option holding our client cookie and
   * the server cookie it gave us, if any. A query without EDNS is sent as it is: cookies live in
   * the OPT record.
   */
  Message withCookie(Message query, InetAddress server) {
    OPTRecord opt = query.getOPT();
    if (opt == null) {
      return query;
    }
    CookieOption cookie = cookieFor(server);
    List<EDNSOption> options = new ArrayList<>();
    for (EDNSOption option : opt.getOptions()) {
      if (!(option instanceof CookieOption)) {
        options.add(option);
      }
    }
    options.add(cookie);
    Message copy = query.clone();
    copy.removeRecord(copy.getOPT(), Section.ADDITIONAL);
    copy.addRecord(new OPTRecord(opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(), opt.getFlags(),
        options), Section.ADDITIONAL);
    count(Event.SENT);
    return copy;
  }

  /** Our client cookie for {@code server}, with its server cookie once we have learned one. */
  private CookieOption cookieFor(InetAddress server) {
    byte[] client;
    byte[] serverCookie;
    synchronized (servers) {
      ServerCookies known = known(server);
      client = known.client;
      serverCookie = known.server;
    }
    return serverCookie == null ? new CookieOption(client) : new CookieOption(client, serverCookie);
  }

  /**
   * What we hold for {@code server}, made on first use; the caller holds the lock on {@link
   * #servers}. The client cookie is hashed once per server, not for every query and again for its
   * reply.
   */
  private ServerCookies known(InetAddress server) {
    ServerCookies known = servers.get(server);
    if (known == null) {
      known = new ServerCookies(clientCookie(server));
      servers.put(server, known);
    }
    return known;
  }

  /**
   * Our client cookie for one server, the server cookie it last gave us (null before the first),
   * and the OPT record with both, rendered for the last query's EDNS fields: each query to a server
   * carries the same bytes until the server hands out a new cookie.
   */
  private static final class ServerCookies {
    final byte[] client;
    byte[] server;
    /** The OPT record's wire form, for {@link #renderedFor} and {@link #renderedEdns}; null until made. */
    byte[] renderedOpt;
    /** The server cookie {@link #renderedOpt} holds (by identity: a new cookie is a new array). */
    byte[] renderedFor;
    /** The payload size, extended rcode, version and flags {@link #renderedOpt} carries (see {@link #edns}). */
    long renderedEdns;

    ServerCookies(byte[] client) {
      this.client = client;
    }
  }

  /** {@link #wireWithCookie(Message, byte[], InetAddress)} with the question's own spelling. */
  byte[] wireWithCookie(Message query, InetAddress server) {
    return wireWithCookie(query, null, server);
  }

  /**
   * The bytes of {@code query} as it goes to {@code server}: those of {@link #withCookie}, rendered,
   * the question's name as {@code nameOnWire} when that is not null (its wire form in the letter
   * case the query goes out in: 0x20). A query as the iterator builds every one (a question, no
   * answer or authority records, and an OPT record without options as its only additional record)
   * is laid out here in its three parts, the header (RFC 1035 4.1.1), the question (4.1.2) and a new
   * OPT record with the COOKIE option (RFC 7873 4) that dnsjava renders, end to end in one array:
   * byte for byte what the copy renders (the question's name is the message's first, so nothing is
   * compressed; the header's counts stay as they are, one OPT replacing the other). That spares the
   * copy of the message, the name compression table and growing buffer of a whole message's
   * rendering, and the buffers and per-label names of rendering the header and question apart. Any
   * other query takes the copy, its question in its own spelling. The recursor never signs a query
   * (TSIG), which would follow the OPT record.
   */
  byte[] wireWithCookie(Message query, byte[] nameOnWire, InetAddress server) {
    OPTRecord opt = query.getOPT();
    Header header = query.getHeader();
    if (opt == null || header.getCount(Section.QUESTION) != 1 || header.getCount(Section.ANSWER) != 0
        || header.getCount(Section.AUTHORITY) != 0 || header.getCount(Section.ADDITIONAL) != 1
        || !opt.getOptions().isEmpty()) {
      return withCookie(query, server).toWire();
    }
    Record question = query.getQuestion();
    byte[] name = nameOnWire != null ? nameOnWire : question.getName().toWire();
    byte[] withCookie = renderedOpt(opt, server);
    byte[] wire = new byte[Header.LENGTH + name.length + 4 + withCookie.length];
    int at = header(header, wire);
    System.arraycopy(name, 0, wire, at, name.length);
    at = u16(question.getType(), wire, at + name.length);
    at = u16(question.getDClass(), wire, at);
    System.arraycopy(withCookie, 0, wire, at, withCookie.length);
    count(Event.SENT);
    return wire;
  }

  /** Writes {@code header} at the start of {@code wire} as Header.toWire would; returns where it ends. */
  private static int header(Header header, byte[] wire) {
    int flags = header.getOpcode() << 11 | header.getRcode() & 0xF;
    for (int bit = 0; bit < 16; bit++) {
      // Flags are numbered from the left, the 16-bit field's top bit first (RFC 1035 4.1.1).
      if (Flags.isFlag(bit) && header.getFlag(bit)) {
        flags |= 1 << (15 - bit);
      }
    }
    int at = u16(flags, wire, u16(header.getID(), wire, 0));
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      at = u16(header.getCount(section), wire, at);
    }
    return at;
  }

  private static int u16(int value, byte[] wire, int at) {
    wire[at] = (byte) (value >>> 8);
    wire[at + 1] = (byte) value;
    return at + 2;
  }

  /**
   * Whether {@code reply} from {@code server} may be used: a reply without a COOKIE option is
   * (the server does not do cookies, RFC 7873 5.3); one whose client cookie is not ours is not.
   * A server cookie in an accepted reply is remembered for the next query.
   */
  boolean accepts(Message reply, InetAddress server) {
    CookieOption cookie = CookieOptions.of(reply);
    if (cookie == null) {
      return true;
    }
    byte[] serverCookie = cookie.getServerCookie().orElse(null);
    boolean ours;
    boolean learned = false;
    synchronized (servers) {
      ServerCookies known = known(server);
      ours = MessageDigest.isEqual(cookie.getClientCookie(), known.client);
      // Stored only when it changed: a server hands out the same cookie reply after reply.
      if (ours && serverCookie != null && (known.server == null || !MessageDigest.isEqual(known.server, serverCookie))) {
        known.server = serverCookie;
        learned = true;
      }
    }
    if (!ours) {
      count(Event.MISMATCHED);
      return false;
    }
    count(Event.ECHOED);
    if (learned) {
      count(Event.LEARNED);
    }
    return true;
  }

  /**
   * Whether {@code reply} is a BADCOOKIE that taught us a new server cookie, so the query is worth
   * one more try (RFC 7873 5.3: retry with the server cookie from the BADCOOKIE response).
   */
  boolean asksForRetry(Message reply) {
    // The header holds an rcode's low four bits, the OPT record the rest (RFC 6891 6.1.3): a header
    // whose low bits are not BADCOOKIE's rules it out before Message.getRcode looks for the OPT
    // record, which copies the additional section to search it, for every reply.
    if (reply.getHeader().getRcode() != (Rcode.BADCOOKIE & 0xF) || reply.getRcode() != Rcode.BADCOOKIE) {
      return false;
    }
    CookieOption cookie = CookieOptions.of(reply);
    if (cookie == null || cookie.getServerCookie().isEmpty()) {
      return false;
    }
    count(Event.BADCOOKIE_RETRIED);
    return true;
  }

  /**
   * The OPT record of {@code opt}'s EDNS fields with our COOKIE option for {@code server}, rendered:
   * the one rendered for the server's last query while its cookies and those fields are unchanged
   * (the same bytes; the caller only copies them), else rendered now and kept for the next.
   */
  private byte[] renderedOpt(OPTRecord opt, InetAddress server) {
    long edns = edns(opt);
    byte[] client;
    byte[] serverCookie;
    synchronized (servers) {
      ServerCookies known = known(server);
      if (known.renderedOpt != null && known.renderedFor == known.server && known.renderedEdns == edns) {
        return known.renderedOpt;
      }
      client = known.client;
      serverCookie = known.server;
    }
    CookieOption cookie = serverCookie == null ? new CookieOption(client) : new CookieOption(client, serverCookie);
    byte[] rendered = new OPTRecord(opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(), opt.getFlags(),
        List.of(cookie)).toWire(Section.ADDITIONAL);
    synchronized (servers) {
      ServerCookies known = known(server);
      if (known.server == serverCookie) { // not if a reply taught a new cookie meanwhile
        known.renderedOpt = rendered;
        known.renderedFor = serverCookie;
        known.renderedEdns = edns;
      }
    }
    return rendered;
  }

  /** An OPT record's payload size (16 bits), extended rcode (8), version (8) and flags (16), as one key. */
  private static long edns(OPTRecord opt) {
    return (long) opt.getPayloadSize() << 32 | (long) (opt.getExtendedRcode() & 0xff) << 24
        | (opt.getVersion() & 0xff) << 16 | opt.getFlags() & 0xffff;
  }

  private void count(Event event) {
    // Looked up first: the lambda below captures this, so computeIfAbsent would make one per call.
    Counter counter = counters.get(event);
    if (counter != null) {
      counter.increment();
      return;
    }
    counters.computeIfAbsent(event, e -> Counter.builder(COOKIES)
            .description("DNS cookies (RFC 7873) on the recursor's upstream queries and replies, by event")
            .tag("event", e.tag)
            .register(registry))
        .increment();
  }
}
