package dev.dnslab.core.cookie;

import org.bouncycastle.crypto.macs.SipHash;
import org.bouncycastle.crypto.params.KeyParameter;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/** What servers and the recursor share about DNS cookies: finding the option, and the hash. */
public final class CookieOptions {
  private CookieOptions() {}

  /** The first COOKIE option of {@code message} (query or reply), or null. */
  public static CookieOption of(Message message) {
    OPTRecord opt = message.getOPT();
    if (opt == null) {
      return null;
    }
    for (EDNSOption option : opt.getOptions()) {
      if (option instanceof CookieOption cookie) {
        return cookie;
      }
    }
    return null;
  }

  /**
   * SipHash-2-4 (BouncyCastle's) of {@code parts} in order under the 16-byte {@code key}: the
   * function RFC 9018 4.2 names for server cookies, and a fine one for client cookies too (the
   * recursor's, RFC 9018 3). A new MAC, key copy and output per call: fine once per upstream server;
   * per answer, {@link ServerCookies} keeps a keyed one per thread instead.
   */
  public static byte[] sipHash24(byte[] key, byte[]... parts) {
    SipHash mac = new SipHash(2, 4);
    mac.init(new KeyParameter(key));
    for (byte[] part : parts) {
      mac.update(part, 0, part.length);
    }
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }
}
