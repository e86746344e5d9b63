package dev.dnslab.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** {@link PlainQuery} on real queries as dnsjava writes them: the common shapes read, all others left alone. */
class PlainQueryTest {
  private static final Record WWW_A = question("WwW.GooGle.com.", Type.A);

  @Test
  void readsAQueryWithoutEdnsKeepingTheClientsSpelling() throws Exception {
    Message query = query(4711, WWW_A);
    query.getHeader().setFlag(Flags.RD);

    PlainQuery plain = PlainQuery.read(wire(query));

    assertThat(plain).isNotNull();
    assertThat(plain.id()).isEqualTo(4711);
    assertThat(plain.recursionDesired()).isTrue();
    assertThat(plain.checkingDisabled()).isFalse();
    assertThat(plain.authenticData()).isFalse();
    assertThat(plain.name()).isEqualTo(Name.fromString("WwW.GooGle.com.").toWire());
    assertThat(plain.type()).isEqualTo(Type.A);
    assertThat(plain.dclass()).isEqualTo(DClass.IN);
    assertThat(plain.hasEdns()).isFalse();
    assertThat(plain.ednsPayload()).isEqualTo(PlainQuery.NO_EDNS);
    assertThat(plain.dnssecOk()).isFalse();
  }

  @Test
  void readsTheAuthenticDataFlagAClientSetsToAskForIt() throws Exception {
    Message query = query(2, WWW_A);
    query.getHeader().setFlag(Flags.AD);

    PlainQuery plain = PlainQuery.read(wire(query));

    assertThat(plain).isNotNull();
    assertThat(plain.authenticData()).isTrue();
    assertThat(plain.checkingDisabled()).isFalse();
  }

  @Test
  void readsTheEdnsPayloadSizeAndCheckingDisabled() throws Exception {
    Message query = query(1, question("google.com.", Type.NS));
    query.getHeader().setFlag(Flags.CD);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

    PlainQuery plain = PlainQuery.read(wire(query));

    assertThat(plain).isNotNull();
    assertThat(plain.recursionDesired()).isFalse();
    assertThat(plain.checkingDisabled()).isTrue();
    assertThat(plain.authenticData()).isFalse();
    assertThat(plain.type()).isEqualTo(Type.NS);
    assertThat(plain.hasEdns()).isTrue();
    assertThat(plain.ednsPayload()).isEqualTo(1232);
    assertThat(plain.dnssecOk()).isFalse();
  }

  @Test
  void readsTheDoBit() {
    Message query = query(65535, WWW_A);
    query.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

    PlainQuery plain = PlainQuery.read(wire(query));

    assertThat(plain).isNotNull();
    assertThat(plain.id()).isEqualTo(65535);
    assertThat(plain.ednsPayload()).isEqualTo(4096);
    assertThat(plain.dnssecOk()).isTrue();
  }

  @Test
  void readsTheRootNameAndAnyClass() {
    PlainQuery plain = PlainQuery.read(wire(query(7, Record.newRecord(Name.root, Type.NS, DClass.ANY))));

    assertThat(plain).isNotNull();
    assertThat(plain.name()).containsExactly(0);
    assertThat(plain.dclass()).isEqualTo(DClass.ANY);
  }

  @Test
  void oneInstanceReadAgainHoldsOnlyTheLatestQueryAndHandsOutCopiesOfItsName() throws Exception {
    Message first = query(1, question("a-much-longer-name.example.co.kr.", Type.AAAA));
    first.getHeader().setFlag(Flags.RD);
    first.getHeader().setFlag(Flags.CD);
    first.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    PlainQuery reader = new PlainQuery();
    assertThat(reader.readFrom(wire(first))).isTrue();
    byte[] firstName = reader.name();

    assertThat(reader.readFrom(wire(query(2, WWW_A)))).isTrue();

    byte[] www = Name.fromString("WwW.GooGle.com.").toWire();
    assertThat(reader.id()).isEqualTo(2);
    assertThat(reader.recursionDesired()).isFalse();
    assertThat(reader.checkingDisabled()).isFalse();
    assertThat(reader.name()).isEqualTo(www);
    assertThat(reader.nameLength()).isEqualTo(www.length);
    assertThat(reader.nameByte(1)).isEqualTo((byte) 'W');
    assertThat(reader.type()).isEqualTo(Type.A);
    assertThat(reader.hasEdns()).isFalse();
    assertThat(reader.dnssecOk()).isFalse();
    assertThat(firstName).as("a name handed out before the next read")
        .isEqualTo(Name.fromString("a-much-longer-name.example.co.kr.").toWire());
    ByteBuf written = Unpooled.buffer(3 + www.length).writeZero(3 + www.length);
    reader.writeName(written, 3);
    assertThat(ByteBufUtil.getBytes(written, 3, www.length)).isEqualTo(www);
  }

  @Test
  void aPacketThatIsNotPlainIsNotTakenForTheQueryReadBefore() {
    PlainQuery reader = new PlainQuery();
    assertThat(reader.readFrom(wire(query(1, WWW_A)))).isTrue();
    Message withOption = query(2, WWW_A);
    withOption.addRecord(new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(new GenericEDNSOption(65001, new byte[] {1}))),
        Section.ADDITIONAL);

    assertThat(reader.readFrom(wire(withOption))).isFalse();
    assertThat(reader.readFrom(Unpooled.wrappedBuffer(new byte[5]))).isFalse();
  }

  @Test
  void readsFromTheReaderIndexWithoutConsumingAnything() {
    byte[] query = query(9, WWW_A).toWire();
    ByteBuf framed = Unpooled.buffer().writeShort(query.length).writeBytes(query);
    framed.readShort();

    assertThat(PlainQuery.read(framed)).isNotNull();
    assertThat(framed.readerIndex()).isEqualTo(2);
  }

  @Test
  void readsAClientCookieAloneOrWithAVersionOneServerCookie() {
    byte[] client = {1, 2, 3, 4, 5, 6, 7, 8};
    byte[] server = {1, 0, 0, 0, 9, 9, 9, 9, 10, 11, 12, 13, 14, 15, 16, 17};
    PlainQuery reader = new PlainQuery();

    assertThat(reader.readFrom(wire(withOptions(4096, ExtendedFlags.DO, new CookieOption(client))))).isTrue();
    assertThat(reader.hasCookie()).isTrue();
    assertThat(reader.hasServerCookie()).isFalse();
    assertThat(clientCookieOf(reader)).isEqualTo(client);
    assertThat(reader.ednsPayload()).isEqualTo(4096);
    assertThat(reader.dnssecOk()).isTrue();

    assertThat(reader.readFrom(wire(withOptions(1232, 0, new CookieOption(client, server))))).isTrue();
    assertThat(reader.hasServerCookie()).isTrue();
    assertThat(clientCookieOf(reader)).isEqualTo(client);
    assertThat(cookiesSeenByCheck(reader)).isEqualTo(new byte[][] {client, server});
    assertThat(reader.dnssecOk()).isFalse();

    // What one query held never shows in the next one's.
    assertThat(reader.readFrom(wire(withOptions(1232, 0)))).isTrue();
    assertThat(reader.hasCookie()).isFalse();
    assertThat(reader.readFrom(wire(withOptions(1232, 0, new CookieOption(client))))).isTrue();
    assertThat(reader.readFrom(wire(query(3, WWW_A)))).isTrue();
    assertThat(reader.hasCookie()).isFalse();
  }

  private static byte[] clientCookieOf(PlainQuery query) {
    byte[] client = new byte[CookieLengths.CLIENT];
    query.copyClientCookie(client, 0);
    return client;
  }

  /** The client and server cookie a check of the query's server cookie is handed, read where it is told. */
  private static byte[][] cookiesSeenByCheck(PlainQuery query) {
    byte[][] seen = new byte[2][];
    boolean passes = query.serverCookiePasses((clientCookie, clientAt, serverCookie, serverAt, client) -> {
      seen[0] = Arrays.copyOfRange(clientCookie, clientAt, clientAt + CookieLengths.CLIENT);
      seen[1] = Arrays.copyOfRange(serverCookie, serverAt, serverAt + CookieLengths.SERVER);
      return client.isLoopbackAddress();
    }, InetAddress.getLoopbackAddress());
    assertThat(passes).as("the check's verdict, passed on").isTrue();
    return seen;
  }

  @Test
  void leavesOtherCookiesAndOtherOptionsToTheFullDecode() {
    byte[] client = new byte[8];
    // Server cookies of other lengths than version 1's (RFC 7873 4.2 allows 8 to 32 bytes).
    EDNSOption shortServer = new CookieOption(client, new byte[8]);
    EDNSOption longServer = new CookieOption(client, new byte[32]);
    // Malformed (RFC 7873 5.2.2): dnsjava refuses to parse them, the decoder answers FORMERR.
    EDNSOption shortClient = new GenericEDNSOption(10, new byte[5]);
    EDNSOption oddServer = new GenericEDNSOption(10, new byte[8 + 5]);
    EDNSOption other = new GenericEDNSOption(65001, new byte[] {1});

    for (List<EDNSOption> options : List.of(List.of(shortServer), List.of(longServer), List.of(shortClient),
        List.of(oddServer), List.of(other), List.<EDNSOption>of(new CookieOption(client), other),
        List.<EDNSOption>of(other, new CookieOption(client)),
        List.<EDNSOption>of(new CookieOption(client), new CookieOption(client)))) {
      assertThat(PlainQuery.read(wire(withOptions(1232, 0, options.toArray(EDNSOption[]::new))))).as("%s", options).isNull();
    }
  }

  /** A query for {@link #WWW_A} with an OPT record of this payload size, flags and options. */
  private static Message withOptions(int payload, int flags, EDNSOption... options) {
    Message query = query(1, WWW_A);
    query.addRecord(new OPTRecord(payload, 0, 0, flags, List.of(options)), Section.ADDITIONAL);
    return query;
  }

  @Test
  void leavesOtherEdnsVersionsAndExtendedRcodesToTheFullDecode() {
    Message version1 = query(1, WWW_A);
    version1.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    Message extendedRcode = query(1, WWW_A);
    extendedRcode.addRecord(new OPTRecord(1232, 1, 0), Section.ADDITIONAL);

    assertThat(PlainQuery.read(wire(version1))).isNull();
    assertThat(PlainQuery.read(wire(extendedRcode))).isNull();
  }

  @Test
  void leavesAQueryWithTwoQuestionsToTheFullDecode() {
    Message query = query(1, WWW_A);
    query.addRecord(question("mail.google.com.", Type.A), Section.QUESTION);

    assertThat(PlainQuery.read(wire(query))).isNull();
  }

  @Test
  void leavesRecordsOutsideTheAdditionalOptToTheFullDecode() throws Exception {
    Message answer = query(1, WWW_A);
    answer.addRecord(new ARecord(Name.fromString("www.google.com."), DClass.IN, 300,
        java.net.InetAddress.getByName("127.0.0.1")), Section.ANSWER);
    Message additional = query(1, WWW_A);
    additional.addRecord(new ARecord(Name.fromString("www.google.com."), DClass.IN, 300,
        java.net.InetAddress.getByName("127.0.0.1")), Section.ADDITIONAL);
    Message twoOpts = query(1, WWW_A);
    twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

    assertThat(PlainQuery.read(wire(answer))).isNull();
    assertThat(PlainQuery.read(wire(additional))).isNull();
    assertThat(PlainQuery.read(wire(twoOpts))).isNull();
  }

  @Test
  void leavesOtherOpcodesAndResponsesToTheFullDecode() {
    Message notify = query(1, WWW_A);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    Message response = query(1, WWW_A);
    response.getHeader().setFlag(Flags.QR);

    assertThat(PlainQuery.read(wire(notify))).isNull();
    assertThat(PlainQuery.read(wire(response))).isNull();
  }

  @Test
  void leavesTruncatedAndOverlongPacketsToTheFullDecode() {
    byte[] plain = query(1, WWW_A).toWire();
    Message edns = query(1, WWW_A);
    edns.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] withOpt = edns.toWire();

    for (int length = 0; length < plain.length; length++) {
      assertThat(PlainQuery.read(Unpooled.wrappedBuffer(Arrays.copyOf(plain, length)))).as("%d bytes", length).isNull();
    }
    for (int length = plain.length; length < withOpt.length; length++) {
      assertThat(PlainQuery.read(Unpooled.wrappedBuffer(Arrays.copyOf(withOpt, length)))).as("%d bytes", length).isNull();
    }
    assertThat(PlainQuery.read(Unpooled.wrappedBuffer(Arrays.copyOf(plain, plain.length + 1)))).isNull();
    assertThat(PlainQuery.read(Unpooled.wrappedBuffer(Arrays.copyOf(withOpt, withOpt.length + 1)))).isNull();
  }

  @Test
  void leavesACompressionPointerInTheQuestionToTheFullDecode() {
    // "www" then a pointer (RFC 1035 4.1.4) back to offset 12: nothing precedes a query's question,
    // so only dnsjava gets to judge a pointer there.
    ByteBuf query = Unpooled.buffer().writeShort(1).writeShort(0).writeShort(1).writeShort(0).writeShort(0).writeShort(0)
        .writeByte(3).writeBytes("www".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeByte(0xC0).writeByte(12)
        .writeShort(Type.A).writeShort(DClass.IN);

    assertThat(PlainQuery.read(query)).isNull();
  }

  @Test
  void leavesRetiredLabelTypesToTheFullDecode() {
    byte[] query = query(1, WWW_A).toWire();
    query[12] = 0x41; // RFC 6891 5: extended label types are gone

    assertThat(PlainQuery.read(Unpooled.wrappedBuffer(query))).isNull();
  }

  @Test
  void leavesANameLongerThan255BytesToTheFullDecode() {
    byte[] labels = new byte[5 * 64];
    for (int i = 0; i < labels.length; i += 64) {
      labels[i] = 63;
      Arrays.fill(labels, i + 1, i + 64, (byte) 'a');
    }
    ByteBuf query = Unpooled.buffer().writeShort(1).writeShort(0).writeShort(1).writeShort(0).writeShort(0).writeShort(0)
        .writeBytes(labels).writeByte(0).writeShort(Type.A).writeShort(DClass.IN);

    assertThat(PlainQuery.read(query)).isNull();
  }

  private static Record question(String name, int type) {
    try {
      return Record.newRecord(Name.fromString(name), type, DClass.IN);
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Message query(int id, Record question) {
    Message query = new Message(id);
    query.addRecord(question, Section.QUESTION);
    return query;
  }

  private static ByteBuf wire(Message query) {
    return Unpooled.wrappedBuffer(query.toWire());
  }
}
