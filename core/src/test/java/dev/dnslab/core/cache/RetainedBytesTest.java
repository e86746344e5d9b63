package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AllocatedBytes;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class RetainedBytesTest {
  @Test
  void countsEveryRecordAsLongAsItsCanonicalWireForm() throws Exception {
    Name owner = Name.fromString("Www.Example.ORG.");
    List<Record> records = List.of(
        new ARecord(owner, DClass.IN, 300, InetAddress.getByName("127.53.0.80")),
        new AAAARecord(owner, DClass.IN, 300, InetAddress.getByName("fd00:53:53:127::80")),
        new NSRecord(owner, DClass.IN, 300, Name.fromString("NS1.a-rather-long-name-server.example.org.")),
        new CNAMERecord(owner, DClass.IN, 300, Name.fromString("Target.Example.NET.")),
        new MXRecord(owner, DClass.IN, 300, 10, Name.fromString("mail.example.org.")),
        new TXTRecord(owner, DClass.IN, 300, "v=spf1 -all"));

    for (Record record : records) {
      assertCountedAsItsCanonicalWireForm(record);
    }
  }

  @Test
  void countsWhatAValidatingWalkStoresAsLongAsItsCanonicalWireForm() throws Exception {
    for (Record record : dnssecRecords()) {
      assertCountedAsItsCanonicalWireForm(record);
    }
  }

  @Test
  void countsSignaturesKeysAndSoaWithoutRenderingThem() throws Exception {
    // Rendering a record makes an output buffer and a copy of its bytes (well over 100 bytes for a
    // P-256 signature); counting from the fields makes nothing once the JIT has compiled the call.
    List<Record> counted = dnssecRecords().stream()
        .filter(r -> r.getType() != Type.NSEC && r.getType() != Type.NSEC3)
        .toList();
    long[] sink = new long[1];
    long perCall = AllocatedBytes.perCall(200_000, () -> {
      for (int i = 0; i < counted.size(); i++) {
        sink[0] += RetainedBytes.wireLength(counted.get(i));
      }
    });
    assertThat(perCall).as("bytes allocated per %d records counted", counted.size()).isLessThan(16);
  }

  @Test
  void countsDenialProofsOfEveryShapeAsLongAsTheirCanonicalWireForm() throws Exception {
    Name origin = Name.fromString("Example.CO.KR.");
    Name hashed = Name.fromString("2vptu5timamqttgl4luu9kg21e0aor3s", origin);
    String next = "35mthgpgcu1qg68fab165klnsnk3dpvl";
    List<Record> proofs = List.of(
        // Types in three windows (0, 1 for CAA, 255 for a private type) and a window's last octet.
        Record.fromString(origin, Type.NSEC, DClass.IN, 3600, "a.Example.CO.KR. A RRSIG NSEC CAA TYPE65534", origin),
        Record.fromString(origin, Type.NSEC, DClass.IN, 3600, "b.Example.CO.KR. TYPE255 TYPE256", origin),
        Record.fromString(origin, Type.NSEC, DClass.IN, 3600, "c.Example.CO.KR. NSEC", origin),
        // A salt, no salt, and no types at all (an empty non-terminal's NSEC3, RFC 5155 7.1).
        Record.fromString(hashed, Type.NSEC3, DClass.IN, 3600, "1 1 10 AABBCCDD " + next + " A NS SOA RRSIG DNSKEY NSEC3PARAM", origin),
        Record.fromString(hashed, Type.NSEC3, DClass.IN, 3600, "1 0 0 - " + next, origin));
    for (Record record : proofs) {
      assertCountedAsItsCanonicalWireForm(record);
    }
  }

  @Test
  void countsDenialProofsWithoutRenderingThem() throws Exception {
    // A signed miss stores NSEC3 proofs. Rendering one made an output buffer and a copy of it;
    // counting makes only what dnsjava's getter of its types makes: an int array, filled by an
    // iterator over the record's TreeSet (32 bytes with compressed pointers) if the JIT keeps it.
    List<Record> proofs = dnssecRecords().stream()
        .filter(r -> r.getType() == Type.NSEC || r.getType() == Type.NSEC3)
        .toList();
    long typeArrays = 0; // and their iterators
    for (Record proof : proofs) {
      int types = proof instanceof NSECRecord nsec ? nsec.getTypes().length : ((NSEC3Record) proof).getTypes().length;
      typeArrays += (16 + 4L * types + 7) / 8 * 8 + 32; // header and length, the ints, 8-byte aligned
    }
    long[] sink = new long[1];
    long perCall = AllocatedBytes.perCall(200_000, () -> {
      for (int i = 0; i < proofs.size(); i++) {
        sink[0] += RetainedBytes.wireLength(proofs.get(i));
      }
    });
    assertThat(perCall).as("bytes allocated per %d proofs counted", proofs.size()).isLessThanOrEqualTo(typeArrays);
  }

  private static void assertCountedAsItsCanonicalWireForm(Record record) {
    // RFC 4034 6.2: owner, then type, class, TTL and RDLENGTH (10 octets), then the RDATA.
    assertThat(RetainedBytes.wireLength(record))
        .as(record.toString())
        .isEqualTo(record.getName().length() + 10 + record.rdataToWireCanonical().length);
  }

  /** One of each record a validating walk stores, in master file format (RFC 1035 5.1). */
  private static List<Record> dnssecRecords() throws Exception {
    Name origin = Name.fromString("Example.CO.KR.");
    String p256 = "oJMRESz5E4gYzS/q6XDrvU1qMPYIjCWzJaOau8XNEZeqCYKD5ar0IRd8KqXXFJkqmVfRvMGPmM1x8fGAa2XhSA==";
    String key = "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==";
    String digest = "2BB183AF5F22588179A53B0A98631FAD1A292118";
    return List.of(
        Record.fromString(origin, Type.RRSIG, DClass.IN, 3600,
            "A 13 3 3600 20270101000000 20261201000000 12345 Example.CO.KR. " + p256, origin),
        Record.fromString(origin, Type.DS, DClass.IN, 3600, "12345 13 1 " + digest, origin),
        Record.fromString(origin, Type.CDS, DClass.IN, 3600, "12345 13 1 " + digest, origin),
        Record.fromString(origin, Type.DNSKEY, DClass.IN, 3600, "257 3 13 " + key, origin),
        Record.fromString(origin, Type.CDNSKEY, DClass.IN, 3600, "257 3 13 " + key, origin),
        Record.fromString(origin, Type.SOA, DClass.IN, 3600,
            "NS1.Example.CO.KR. HostMaster.Example.CO.KR. 2026120601 7200 3600 1209600 300", origin),
        Record.fromString(origin, Type.NSEC, DClass.IN, 3600, "www.Example.CO.KR. A NS SOA RRSIG NSEC DNSKEY", origin),
        Record.fromString(Name.fromString("2vptu5timamqttgl4luu9kg21e0aor3s", origin), Type.NSEC3, DClass.IN, 3600,
            "1 0 0 - 35mthgpgcu1qg68fab165klnsnk3dpvl A RRSIG", origin));
  }
}
