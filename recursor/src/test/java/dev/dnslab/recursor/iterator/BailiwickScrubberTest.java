package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** What comes through the scrubber is spelt in lower case, whatever case the server echoed. */
class BailiwickScrubberTest {
  @Test
  void lowerCasesOwnersAndNamesInsideTheDataOfEverySection() throws Exception {
    Message reply = new Message(1);
    reply.getHeader().setFlag(Flags.QR);
    reply.addRecord(Record.newRecord(Name.fromConstantString("wWw.GoOgle.COM."), Type.A, DClass.IN), Section.QUESTION);
    reply.addRecord(Record.fromString(Name.fromConstantString("GooGle.com."), Type.NS, DClass.IN, 172800,
        "NS1.GOOglE.Com.", Name.root), Section.AUTHORITY);
    reply.addRecord(Record.fromString(Name.fromConstantString("Ns1.GOOGLE.com."), Type.A, DClass.IN, 172800,
        "127.53.0.13", Name.root), Section.ADDITIONAL);

    ScrubbedReply scrubbed = BailiwickScrubber.scrub(reply, Name.fromConstantString("com."),
        Name.fromConstantString("wWw.GoOgle.COM."));

    assertThat(scrubbed.authority()).map(Record::toString)
        .containsExactly("google.com.\t\t172800\tIN\tNS\tns1.google.com.");
    assertThat(scrubbed.additional()).map(Record::toString)
        .containsExactly("ns1.google.com.\t\t172800\tIN\tA\t127.53.0.13");
  }

  @Test
  void keepsAdditionalAddressesOnlyForTheNameServersOfAnAnswerOrAReferral() throws Exception {
    Name zone = Name.fromConstantString("example.org.");
    Record glue = Record.fromString(Name.fromConstantString("ns1.example.org."), Type.A, DClass.IN, 3600,
        "127.53.3.13", Name.root);

    Message answerWithoutNs = new Message(1);
    answerWithoutNs.getHeader().setFlag(Flags.QR);
    answerWithoutNs.addRecord(Record.fromString(Name.fromConstantString("a.example.org."), Type.A, DClass.IN, 3600,
        "192.0.2.1", Name.root), Section.ANSWER);
    answerWithoutNs.addRecord(glue, Section.ADDITIONAL);
    assertThat(BailiwickScrubber.scrub(answerWithoutNs, zone, Name.fromConstantString("a.example.org."))
        .additional()).isEmpty();

    Message nsAnswer = new Message(2);
    nsAnswer.getHeader().setFlag(Flags.QR);
    nsAnswer.addRecord(Record.fromString(zone, Type.NS, DClass.IN, 3600, "NS1.example.org.", Name.root),
        Section.ANSWER);
    nsAnswer.addRecord(glue, Section.ADDITIONAL);
    nsAnswer.addRecord(Record.fromString(Name.fromConstantString("ns2.example.org."), Type.A, DClass.IN, 3600,
        "127.53.3.14", Name.root), Section.ADDITIONAL);
    assertThat(BailiwickScrubber.scrub(nsAnswer, zone, zone).additional()).map(Record::rdataToString)
        .containsExactly("127.53.3.13");
  }
}
