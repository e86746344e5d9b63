package dev.dnslab.core.cookie;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.transport.PerThreadValues;
import dev.dnslab.core.wire.CookieLengths;
import dev.dnslab.core.wire.PlainQuery;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import org.bouncycastle.crypto.macs.SipHash;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Pack;
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
public final class ServerCookies implements PlainQuery.ServerCookieCheck {
  /** The only server cookie version there is (RFC 9018 4.1, IANA "DNS Server Cookie Methods"). */
  public static final int VERSION = 1;

  /** RFC 9018 4.3: a cookie older than one hour is invalid. */
  static final long LIFETIME_SECONDS = 3600;

  /** RFC 9018 4.3: and one more than five minutes in the future too (clock skew in anycast sets). */
  static final long FUTURE_SKEW_SECONDS = 300;

  private static final int SECRET_LENGTH = 16;
  private static final int HASH_OFFSET = 8;

  private final byte[] secret;
  private final Clock clock;
  /** A SipHash-2-4 keyed with the secret per thread ({@link #hash}). */
  private final PerThreadValues<SipHash> keyedHashes = new PerThreadValues<>(this::keyedHash);

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
    byte[] cookie = new byte[CookieLengths.SERVER];
    issue(clientCookie, 0, client, cookie, 0);
    return cookie;
  }

  /**
   * {@link #issue(byte[], InetAddress)} for the client cookie at {@code clientAt} in {@code
   * clientCookie}, the server cookie written into {@code into} at {@code at} (16 bytes): for an
   * answer written past the chain, which allocates nothing per cookie but the address's bytes.
   */
  public void issue(byte[] clientCookie, int clientAt, InetAddress client, byte[] into, int at) {
    into[at] = VERSION;
    into[at + 1] = 0;
    into[at + 2] = 0;
    into[at + 3] = 0;
    Pack.intToBigEndian((int) now(), into, at + 4);
    // Little-endian, as BouncyCastle writes SipHash's output (doFinal(byte[], int)).
    Pack.longToLittleEndian(hash(clientCookie, clientAt, into, at, client), into, at + HASH_OFFSET);
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
    return server != null && server.length == CookieLengths.SERVER && isValid(clientCookie, 0, server, 0, client);
  }

  /**
   * {@link #isValid(byte[], byte[], InetAddress)} for the 8-byte client cookie at {@code clientAt} in
   * {@code clientCookie} and the 16-byte server cookie at {@code serverAt} in {@code server}, read in
   * place: for a query's cookies checked past the chain ({@link PlainQuery#serverCookiePasses}).
   */
  @Override
  public boolean isValid(byte[] clientCookie, int clientAt, byte[] server, int serverAt, InetAddress client) {
    if (server[serverAt] != VERSION) {
      return false;
    }
    long stamped = Integer.toUnsignedLong(Pack.bigEndianToInt(server, serverAt + 4));
    int age = (int) (now() - stamped); // serial arithmetic: the difference modulo 2^32
    if (age > LIFETIME_SECONDS || age < -FUTURE_SKEW_SECONDS) {
      return false;
    }
    // One comparison of all 64 bits: no early exit at the first byte that differs.
    return hash(clientCookie, clientAt, server, serverAt, client) == Pack.littleEndianToLong(server, serverAt + HASH_OFFSET);
  }

  /**
   * SipHash-2-4 over the 8-byte client cookie at {@code clientAt}, the first 8 bytes of the server
   * cookie at {@code serverAt} (version, reserved as received, RFC 9018 4.2 hashes them as they are,
   * and timestamp) and the address.
   */
  private long hash(byte[] clientCookie, int clientAt, byte[] serverCookie, int serverAt, InetAddress client) {
    // A SipHash-2-4 keyed with the secret, one per thread (an event loop's), so a cookie made or
    // checked allocates no hash, key copy or output array: BouncyCastle's doFinal() hands the hash
    // back as a long and returns the MAC to its keyed initial state, ready for the next cookie.
    SipHash hash = keyedHashes.get();
    byte[] address = client.getAddress();
    hash.update(clientCookie, clientAt, CookieLengths.CLIENT);
    hash.update(serverCookie, serverAt, HASH_OFFSET);
    hash.update(address, 0, address.length);
    return hash.doFinal();
  }

  /** A new SipHash-2-4 keyed with the secret: each thread's own ({@link #hash}). */
  private SipHash keyedHash() {
    SipHash hash = new SipHash(2, 4);
    hash.init(new KeyParameter(secret));
    return hash;
  }

  /** The epoch second, from the clock's milliseconds: the same second as its Instant's, without one. */
  private long now() {
    return Math.floorDiv(clock.millis(), 1000) & 0xFFFF_FFFFL;
  }
}
