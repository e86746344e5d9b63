package dev.dnslab.core.cookie;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import org.xbill.DNS.CookieOption;

/**
 * Makes and checks server cookies the interoperable way of RFC 9018: version 1, three reserved
 * bytes, a 32-bit timestamp and SipHash-2-4 (BouncyCastle's) over the client cookie, those eight
 * bytes and the client's address, keyed with a 16-byte server secret.
 *
 * <pre>
 * Server Cookie = Version | Reserved | Timestamp | Hash                         (RFC 9018 4.1)
 * Hash = SipHash-2-4(Client Cookie | Version | Reserved | Timestamp | Client-IP, Server Secret)
 * </pre>
 */
public final class ServerCookies {
  /** The only server cookie version there is (RFC 9018 4.1, IANA "DNS Server Cookie Methods"). */
  public static final int VERSION = 1;

  /** Client cookies are 8 bytes (RFC 7873 4.1); a version 1 server cookie is 16 (RFC 9018 4). */
  public static final int CLIENT_COOKIE_LENGTH = 8;

  public static final int SERVER_COOKIE_LENGTH = 16;

  /** RFC 9018 4.3: a cookie older than one hour is invalid. */
  static final long LIFETIME_SECONDS = 3600;

  /** RFC 9018 4.3: and one more than five minutes in the future too (clock skew in anycast sets). */
  static final long FUTURE_SKEW_SECONDS = 300;

  private static final int SECRET_LENGTH = 16;
  private static final int HASH_OFFSET = 8;

  private final byte[] secret;
  private final Clock clock;

  /**
   * @param secret the 16-byte server secret; servers of one anycast set share it (RFC 9018 4.4)
   * @param clock where timestamps come from
   */
  public ServerCookies(byte[] secret, Clock clock) {
    requireNonNull(secret, "secret");
    if (secret.length != SECRET_LENGTH) {
      throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: 16)");
    }
    this.secret = secret.clone();
    this.clock = requireNonNull(clock, "clock");
  }

  /** A server with a fresh random secret: cookies it hands out stay good until it restarts. */
  public static ServerCookies withRandomSecret() {
    byte[] secret = new byte[SECRET_LENGTH];
    new SecureRandom().nextBytes(secret);
    return new ServerCookies(secret, Clock.systemUTC());
  }

  /** A fresh server cookie for {@code clientCookie} from {@code client}, stamped now. */
  public byte[] issue(byte[] clientCookie, InetAddress client) {
    return issue(clientCookie, client, now());
  }

  /** The server cookie of {@code clientCookie} from {@code client} stamped {@code timestamp}. */
  byte[] issue(byte[] clientCookie, InetAddress client, long timestamp) {
    byte[] cookie = new byte[SERVER_COOKIE_LENGTH];
    cookie[0] = VERSION;
    ByteBuffer.wrap(cookie, 4, 4).putInt((int) timestamp);
    System.arraycopy(hash(clientCookie, cookie, client), 0, cookie, HASH_OFFSET, 8);
    return cookie;
  }

  /**
   * Whether {@code cookie} carries a server cookie this server made for that client cookie and
   * address, within its lifetime (RFC 9018 4.3; timestamps compare as serial numbers, RFC 1982).
   */
  public boolean isValid(CookieOption cookie, InetAddress client) {
    return isValid(cookie.getClientCookie(), cookie.getServerCookie().orElse(null), client);
  }

  /** {@link #isValid(CookieOption, InetAddress)} for the cookies themselves, read without dnsjava. */
  public boolean isValid(byte[] clientCookie, byte[] server, InetAddress client) {
    if (server == null || server.length != SERVER_COOKIE_LENGTH || server[0] != VERSION) {
      return false;
    }
    long stamped = Integer.toUnsignedLong(ByteBuffer.wrap(server, 4, 4).getInt());
    int age = (int) (now() - stamped); // serial arithmetic: the difference modulo 2^32
    if (age > LIFETIME_SECONDS || age < -FUTURE_SKEW_SECONDS) {
      return false;
    }
    byte[] expected = hash(clientCookie, server, client);
    return MessageDigest.isEqual(expected, Arrays.copyOfRange(server, HASH_OFFSET, SERVER_COOKIE_LENGTH));
  }

  /** SipHash-2-4 over client cookie, the first 8 bytes of the server cookie and the address. */
  private byte[] hash(byte[] clientCookie, byte[] serverCookie, InetAddress client) {
    // Version, reserved (as received: RFC 9018 4.2 hashes them as they are) and timestamp.
    byte[] stamp = Arrays.copyOf(serverCookie, HASH_OFFSET);
    return CookieOptions.sipHash24(secret, clientCookie, stamp, client.getAddress());
  }


  private long now() {
    return clock.instant().getEpochSecond() & 0xFFFF_FFFFL;
  }
}
