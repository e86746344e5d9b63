package dev.dnslab.core.server;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.testing.RawDns;
import dev.dnslab.core.testing.UdpBurst;
import dev.dnslab.core.wire.DnsResponseEncoder;
import dev.dnslab.testing.DnsStreamFrame;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * EDNS(0), truncation, UDP reads (a query as large as a read slot, a burst of many), TCP framing and
 * pipelining, opcodes: the engine's wire behaviour.
 */
class DnsProtocolTest {
  private static AuthorityFixture server;

  @BeforeAll
  static void start() throws Exception {
    server =
        AuthorityFixture.start(
            "authoritative-ns", List.of(labZones("authoritative"), Path.of("src/test/resources/zones/big.test.zone")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Message query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
  }

  @Test
  void echoesOptWithOurPayloadSize() throws Exception {
    Message response = server.udp().send(query("www.google.com.", Type.A));
    OPTRecord opt = response.getOPT();
    assertThat(opt).isNotNull();
    assertThat(opt.getPayloadSize()).isEqualTo(1232);
    assertThat(opt.getVersion()).isZero();
  }

  @Test
  void omitsOptWhenQueryHasNone() throws Exception {
    SimpleResolver resolver = server.udp();
    resolver.setEDNS(-1);
    assertThat(resolver.send(query("www.google.com.", Type.A)).getOPT()).isNull();
  }

  @Test
  void answersBadversForEdnsVersionOne() throws Exception {
    Message query = query("www.google.com.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL); // dnsjava clients refuse to send v1
    Message response = new Message(RawDns.udpExchange(server.address(), query.toWire(), 2000));
    assertThat(response.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(response.getOPT().getVersion()).isZero();
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void echoesDoBit() throws Exception {
    SimpleResolver resolver = server.udp();
    resolver.setEDNS(0, 1232, org.xbill.DNS.ExtendedFlags.DO, List.of());
    Message response = resolver.send(query("www.google.com.", Type.A));
    assertThat(response.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO).isNotZero();
  }

  @Test
  void answersFormerrForTwoOptRecords() throws Exception {
    Message query = query("www.google.com.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    byte[] reply = RawDns.udpExchange(server.address(), query.toWire(), 2000);
    assertThat(new Message(reply).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void answersNotimpForUnknownOpcode() throws Exception {
    Message query = query("www.google.com.", Type.A);
    query.getHeader().setOpcode(Opcode.NOTIFY);
    Message response = new Message(RawDns.udpExchange(server.address(), query.toWire(), 2000));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(response.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    query.getHeader().setOpcode(3); // unassigned
    Message unassigned = new Message(RawDns.udpExchange(server.address(), query.toWire(), 2000));
    assertThat(unassigned.getRcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void truncatesToFiveHundredTwelveBytesWithoutEdns() throws Exception {
    SimpleResolver resolver = server.udp();
    resolver.setEDNS(-1);
    Message response = resolver.send(query("txt.big.test.", Type.TXT));
    assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
    // RFC 2181 9: an RRset is never split; the whole TXT set is gone, not part of it.
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
    assertThat(response.toWire().length).isLessThanOrEqualTo(512);
  }

  @Test
  void truncatesToAdvertisedPayloadAndKeepsOpt() throws Exception {
    byte[] wire = RawDns.udpExchange(server.address(), withEdns(query("txt.big.test.", Type.TXT), 1232), 2000);
    Message response = new Message(wire);
    assertThat(wire.length).isLessThanOrEqualTo(1232);
    assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(response.getOPT()).isNotNull();
  }

  @Test
  void capsClientPayloadAtOurMaximum() throws Exception {
    byte[] wire = RawDns.udpExchange(server.address(), withEdns(query("txt.big.test.", Type.TXT), 65000), 2000);
    assertThat(wire.length).isLessThanOrEqualTo(1232);
    assertThat(DnsResponseEncoder.isTruncated(wire)).isTrue();
  }

  @Test
  void treatsTinyPayloadAsFiveHundredTwelve() throws Exception {
    byte[] wire = RawDns.udpExchange(server.address(), withEdns(query("www.google.com.", Type.A), 100), 2000);
    assertThat(new Message(wire).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void answersInFullOverTcp() throws Exception {
    Message response = server.tcp().send(query("txt.big.test.", Type.TXT));
    assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(response.getSection(Section.ANSWER)).hasSize(20);
  }

  @Test
  void dnsjavaFallsBackToTcpOnTruncation() throws Exception {
    SimpleResolver resolver = new SimpleResolver(server.address());
    resolver.setEDNS(-1);
    Message response = resolver.send(query("txt.big.test.", Type.TXT));
    assertThat(response.getSection(Section.ANSWER)).hasSize(20);
  }

  @Test
  void setsTcWhenReferralGlueDoesNotFit() throws Exception {
    SimpleResolver resolver = server.udp();
    resolver.setEDNS(-1);
    Message response = resolver.send(query("www.wide.big.test.", Type.A));
    // RFC 9471 3: in-domain glue is required; a referral that lost it must say so.
    assertThat(response.getSection(Section.AUTHORITY)).hasSize(13);
    assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
    Message overTcp = server.tcp().send(query("www.wide.big.test.", Type.A));
    assertThat(overTcp.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.AAAA)).hasSize(13);
  }

  @Test
  void answersSeveralPipelinedQueriesOnOneConnection() throws Exception {
    try (Socket socket = RawDns.tcp(server.address(), 3000)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      String[] names = {"www.google.com.", "www.naver.com.", "www.example.co.kr.", "nosuch.google.com."};
      for (int i = 0; i < names.length; i++) {
        DnsStreamFrame.write(out, RawDns.query(names[i], Type.A, 1000 + i));
      }
      out.flush();
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < names.length; i++) {
        Message response = new Message(DnsStreamFrame.read(in));
        ids.add(response.getHeader().getID());
        assertThat(response.getQuestion().getName().toString()).isEqualTo(names[response.getHeader().getID() - 1000]);
      }
      assertThat(ids).containsExactlyInAnyOrder(1000, 1001, 1002, 1003);
    }
  }

  @Test
  void keepsConnectionOpenAcrossQueries() throws Exception {
    try (Socket socket = RawDns.tcp(server.address(), 3000)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int i = 0; i < 3; i++) {
        DnsStreamFrame.write(out, RawDns.query("www.google.com.", Type.A, 7 + i));
        out.flush();
        assertThat(new Message(DnsStreamFrame.read(in)).getHeader().getID()).isEqualTo(7 + i);
      }
    }
  }

  /** DnsServer's UDP read slot: the largest query it reads whole. */
  private static final int LARGEST_UDP_QUERY = 4096;

  @Test
  void readsAQueryAsLargeAsAReadSlotWholeAndAnswersIt() throws Exception {
    Message query = query("www.google.com.", Type.A);
    int withoutPadding = query.toWire().length + 11 + 4; // the OPT record, then the option's code and length
    // RFC 7830 padding, which a server reads and ignores: the datagram fills the slot exactly.
    EDNSOption padding = new GenericEDNSOption(12, new byte[LARGEST_UDP_QUERY - withoutPadding]);
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(padding)), Section.ADDITIONAL);
    byte[] wire = query.toWire();
    assertThat(wire).hasSize(LARGEST_UDP_QUERY);

    Message response = new Message(RawDns.udpExchange(server.address(), wire, 3000));

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getSection(Section.ANSWER)).singleElement()
        .satisfies(a -> assertThat(a.rdataToString()).isEqualTo("127.53.0.80"));
  }

  /** More queries than one recvmmsg's slots and one wake-up's batch: each answer is its own query's. */
  @Test
  void answersEveryQueryOfABurstWithItsOwnIdAndQuestion() throws Exception {
    List<String> names =
        List.of("www.google.com.", "www.naver.com.", "nosuch.google.com.", "www.example.co.kr.", "txt.big.test.");
    List<Message> queries = new ArrayList<>();
    Map<Integer, String> asked = new HashMap<>();
    for (int id = 0; id < 200; id++) {
      String name = names.get(id % names.size());
      Message query = query(name, name.startsWith("txt") ? Type.TXT : Type.A);
      query.getHeader().setID(id);
      queries.add(query);
      asked.put(id, name);
    }

    UdpBurst.Replies replies = UdpBurst.send("127.0.0.1", server.address(), queries, r -> r.total() == asked.size());

    Map<Integer, String> answered = new HashMap<>();
    for (Message reply : replies.answers()) {
      answered.put(reply.getHeader().getID(), reply.getQuestion().getName().toString());
    }
    for (Message reply : replies.truncated()) {
      answered.put(reply.getHeader().getID(), reply.getQuestion().getName().toString());
    }
    assertThat(answered).isEqualTo(asked);
  }

  private static byte[] withEdns(Message query, int payload) {
    query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
    return query.toWire();
  }
}
