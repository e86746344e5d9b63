package dev.dnslab.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * DNS messages on a stream: each preceded by its length in two bytes (RFC 1035 4.2.2), over TCP
 * and inside TLS alike (RFC 7858 3.3).
 */
public final class DnsStreamFrame {
  private DnsStreamFrame() {}

  /** Writes {@code message} with its length in front (not flushed). */
  public static void write(DataOutputStream out, byte[] message) throws IOException {
    out.writeShort(message.length);
    out.write(message);
  }

  /** Reads one length-prefixed message. */
  public static byte[] read(DataInputStream in) throws IOException {
    byte[] message = new byte[in.readUnsignedShort()];
    in.readFully(message);
    return message;
  }
}
