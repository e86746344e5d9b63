package dev.dnslab.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import org.xbill.DNS.Type;

/**
 * Hostile DNS packets from a seeded {@link Random}, so a failure can be replayed: random bytes, bit
 * flips of real queries, random section counts, compression pointers that loop, label bombs, cut
 * messages and record lengths that overrun. Used by {@code MalformedPacketTest} and the lab's
 * flood test, and by {@code scripts/dns-flood.sh} for a million of them.
 */
public final class HostilePackets {
  /** The kinds of damage, one per packet in turn. */
  public enum Damage {
    RANDOM_BYTES, BIT_FLIPS, CUT_SHORT, RANDOM_COUNTS, COMPRESSION_LOOP, LABEL_BOMB, OVERRUNNING_RDLENGTH
  }

  private static final String[] NAMES = {"www.google.com.", "www.naver.com.", "www.example.co.kr.", "com.", "."};
  private static final int[] TYPES = {Type.A, Type.AAAA, Type.NS, Type.SOA, Type.TXT, Type.ANY};

  private final Random random;
  private final byte[][] valid;
  private long produced;

  public HostilePackets(long seed) {
    this.random = new Random(seed);
    this.valid = new byte[NAMES.length * TYPES.length][];
    int i = 0;
    for (String name : NAMES) {
      for (int type : TYPES) {
        valid[i++] = query(name, type);
      }
    }
  }

  private static byte[] query(String name, int type) {
    try {
      return RawDns.query(name, type, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next packet, cycling through every {@link Damage}. */
  public byte[] next() {
    Damage damage = Damage.values()[(int) (produced++ % Damage.values().length)];
    return next(damage);
  }

  public byte[] next(Damage damage) {
    byte[] base = valid[random.nextInt(valid.length)].clone();
    base[0] = (byte) random.nextInt(256);
    base[1] = (byte) random.nextInt(256);
    return switch (damage) {
      case RANDOM_BYTES -> {
        byte[] packet = new byte[random.nextInt(600)];
        random.nextBytes(packet);
        yield packet;
      }
      case BIT_FLIPS -> {
        int flips = 1 + random.nextInt(6);
        for (int f = 0; f < flips; f++) {
          base[random.nextInt(base.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield base;
      }
      case CUT_SHORT -> Arrays.copyOf(base, random.nextInt(base.length));
      case RANDOM_COUNTS -> {
        for (int count = 4; count < 12; count++) {
          base[count] = (byte) (random.nextBoolean() ? random.nextInt(256) : 0);
        }
        yield base;
      }
      case COMPRESSION_LOOP -> compressionLoop(base);
      case LABEL_BOMB -> labelBomb(base);
      case OVERRUNNING_RDLENGTH -> overrunningRecord(base);
    };
  }

  /** A question whose name is a pointer to itself, or two pointers to each other (RFC 1035 4.1.4). */
  private byte[] compressionLoop(byte[] base) {
    ByteArrayOutputStream out = header(base, 1, 0, 0, 0);
    if (random.nextBoolean()) {
      out.write(0xC0);
      out.write(12); // points at itself
    } else {
      out.write(1);
      out.write('a');
      out.write(0xC0);
      out.write(14); // points at the next pointer, which points back
      out.write(0xC0);
      out.write(12);
    }
    out.writeBytes(new byte[] {0, 1, 0, 1});
    return out.toByteArray();
  }

  /** Names that break RFC 1035 limits: a label over 63, a name over 255, pointer chains, bad labels. */
  private byte[] labelBomb(byte[] base) {
    ByteArrayOutputStream out = header(base, 1, 0, 0, 0);
    switch (random.nextInt(4)) {
      case 0 -> { // 200 one-letter labels: 400 bytes of name
        for (int i = 0; i < 200; i++) {
          out.write(1);
          out.write('a');
        }
        out.write(0);
      }
      case 1 -> { // a label length of 64..191 (the reserved 0x40 and 0x80 label types)
        out.write(64 + random.nextInt(128));
        out.writeBytes(new byte[70]);
        out.write(0);
      }
      case 2 -> { // the question's name is a chain of pointers, one label between each two
        int links = 20 + random.nextInt(150);
        out.write(0xC0);
        out.write(18); // the name starts after the question's type and class
        out.writeBytes(new byte[] {0, 1, 0, 1});
        for (int i = 0; i < links; i++) {
          int next = 18 + 4 * (i + 1);
          out.write(1);
          out.write('x');
          out.write(0xC0 | (next >> 8));
          out.write(next & 0xFF);
        }
        out.write(0);
        return out.toByteArray();
      }
      default -> { // a name with no terminating zero: runs off the end
        for (int i = 0; i < 10; i++) {
          out.write(63);
          out.writeBytes(new byte[63]);
        }
        return out.toByteArray();
      }
    }
    out.writeBytes(new byte[] {0, 1, 0, 1});
    return out.toByteArray();
  }

  /** A query with an additional record whose RDLENGTH claims more bytes than follow. */
  private byte[] overrunningRecord(byte[] base) {
    byte[] packet = base.clone();
    packet[11] = 1; // ARCOUNT 1
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.writeBytes(packet);
    record.write(0); // owner: root
    int type = random.nextBoolean() ? Type.OPT : Type.A;
    record.write(type >> 8);
    record.write(type & 0xFF);
    record.writeBytes(new byte[] {0x04, (byte) 0xD0, 0, 0, 0, 0}); // class/UDP size, TTL
    int claimed = 10 + random.nextInt(60000);
    record.write(claimed >> 8);
    record.write(claimed & 0xFF);
    record.writeBytes(new byte[random.nextInt(8)]);
    return record.toByteArray();
  }

  private static ByteArrayOutputStream header(byte[] base, int qd, int an, int ns, int ar) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(base[0]);
    out.write(base[1]);
    out.write(base[2] & 0x7F); // a query: QR clear
    out.write(base[3]);
    for (int count : new int[] {qd, an, ns, ar}) {
      out.write(count >> 8);
      out.write(count & 0xFF);
    }
    return out;
  }
}
