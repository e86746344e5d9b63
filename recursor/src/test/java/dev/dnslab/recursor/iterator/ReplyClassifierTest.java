package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Each reply shape of RFC 1034 4.3.2 and RFC 2308, sorted before anything acts on it. */
class ReplyClassifierTest {
  @Test
  void classifiesAReferralAndKeepsOnlyInBailiwickGlue() throws Exception {
    Message reply = reply("www.google.com.", Type.A, Rcode.NOERROR, false,
        auth("google.com. 172800 IN NS ns1.google.com."),
        auth("google.com. 172800 IN NS ns.elsewhere.net."),
        add("ns1.google.com. 172800 IN A 127.53.0.13"),
        add("ns.elsewhere.net. 172800 IN A 198.51.100.66"));

    Classification kind = classify(reply, "www.google.com.", Type.A, "com.");

    assertThat(kind.type()).isEqualTo(ReplyType.REFERRAL);
    assertThat(kind).isInstanceOfSatisfying(Classification.Referral.class, referral -> {
      assertThat(referral.zone()).isEqualTo(Name.fromConstantString("google.com."));
      assertThat(referral.glue()).extracting(Record::rdataToString).containsExactly("127.53.0.13");
    });
  }

  @Test
  void dropsAnswersFromOutsideTheZoneAsked() throws Exception {
    Message reply = reply("www.naver.com.", Type.A, Rcode.NOERROR, true,
        ans("www.naver.com. 300 IN CNAME www.naver.com.nheos.com."),
        ans("www.naver.com.nheos.com. 60 IN A 192.0.2.1"));

    Classification kind = classify(reply, "www.naver.com.", Type.A, "naver.com.");

    assertThat(kind.type()).as("the nheos.com record is out of naver.com's bailiwick").isEqualTo(ReplyType.CNAME);
    assertThat(kind).isInstanceOfSatisfying(Classification.Cname.class,
        cname -> assertThat(cname.target()).isEqualTo(Name.fromConstantString("www.naver.com.nheos.com.")));
  }

  @Test
  void classifiesACnameChainInsideTheZoneAsAnAnswer() throws Exception {
    Message reply = reply("mail.google.com.", Type.A, Rcode.NOERROR, true,
        ans("mail.google.com. 300 IN CNAME googlemail.l.google.com."),
        ans("googlemail.l.google.com. 300 IN A 127.53.0.80"));

    Classification kind = classify(reply, "mail.google.com.", Type.A, "google.com.");

    assertThat(kind.type()).isEqualTo(ReplyType.ANSWER);
    assertThat(kind.chain()).hasSize(2);
  }

  @Test
  void classifiesEveryRrsetAtTheNameAsTheAnswerToAny() throws Exception {
    Message reply = reply("google.com.", Type.ANY, Rcode.NOERROR, true,
        ans("google.com. 300 IN A 127.53.0.80"),
        ans("google.com. 300 IN MX 10 smtp.google.com."),
        ans("www.google.com. 300 IN A 127.53.0.80"));

    Classification kind = classify(reply, "google.com.", Type.ANY, "google.com.");

    assertThat(kind.type()).isEqualTo(ReplyType.ANSWER);
    assertThat(kind.chain()).extracting(Record::getType).containsExactlyInAnyOrder(Type.A, Type.MX);
  }

  @Test
  void takesACnameAsTheAnswerToAnyRatherThanFollowingIt() throws Exception {
    Message reply = reply("mail.google.com.", Type.ANY, Rcode.NOERROR, true,
        ans("mail.google.com. 300 IN CNAME googlemail.l.google.com."));

    Classification kind = classify(reply, "mail.google.com.", Type.ANY, "google.com.");

    assertThat(kind.type()).isEqualTo(ReplyType.ANSWER);
    assertThat(kind.chain()).extracting(Record::getType).containsExactly(Type.CNAME);
  }

  @Test
  void ignoresRrsetsOfAnotherOwnerOrTypeInTheAnswer() throws Exception {
    Message reply = reply("www.google.com.", Type.A, Rcode.NOERROR, true,
        ans("www.google.com. 300 IN A 127.53.0.80"),
        ans("google.com. 300 IN A 192.0.2.66"),
        ans("www.google.com. 300 IN AAAA 2001:db8::66"));

    Classification kind = classify(reply, "www.google.com.", Type.A, "google.com.");

    assertThat(kind.type()).isEqualTo(ReplyType.ANSWER);
    assertThat(kind.chain()).extracting(Record::rdataToString).containsExactly("127.53.0.80");
  }

  @Test
  void replacesAForgedCnameWithTheOneTheDnameStandsFor() throws Exception {
    Message reply = reply("www.nhn.com.", Type.A, Rcode.NOERROR, true,
        ans("nhn.com. 3600 IN DNAME naver.com."),
        ans("www.nhn.com. 3600 IN CNAME www.evil.test."),
        ans("www.nhn.com. 3600 IN A 192.0.2.66"));

    Classification kind = classify(reply, "www.nhn.com.", Type.A, "nhn.com.");

    // RFC 6672 2.3, 3.2: no data below the owner counts, and the DNAME decides the target.
    assertThat(kind).isInstanceOfSatisfying(Classification.Cname.class, cname -> {
      assertThat(cname.target()).isEqualTo(Name.fromConstantString("www.naver.com."));
      assertThat(cname.chain()).extracting(Record::toString).containsExactly(
          "nhn.com.\t\t3600\tIN\tDNAME\tnaver.com.",
          "www.nhn.com.\t\t3600\tIN\tCNAME\twww.naver.com.");
    });
  }

  @Test
  void synthesisesTheMissingCnameOfADname() throws Exception {
    Message reply = reply("x.legacy.example.co.kr.", Type.A, Rcode.NOERROR, true,
        ans("legacy.example.co.kr. 300 IN DNAME blog.example.co.kr."),
        ans("x.blog.example.co.kr. 300 IN A 127.53.0.80"));

    Classification kind = classify(reply, "x.legacy.example.co.kr.", Type.A, "example.co.kr.");

    assertThat(kind).isInstanceOfSatisfying(Classification.Answer.class, answer -> {
      assertThat(answer.finalName()).isEqualTo(Name.fromConstantString("x.blog.example.co.kr."));
      assertThat(answer.chain()).extracting(Record::getType).containsExactly(Type.DNAME, Type.CNAME, Type.A);
    });
  }

  @Test
  void followsADnameOutOfTheZoneRatherThanTrustItsNxdomain() throws Exception {
    Message reply = reply("nosuch.nhn.com.", Type.A, Rcode.NXDOMAIN, true,
        ans("nhn.com. 3600 IN DNAME naver.com."),
        ans("nosuch.nhn.com. 3600 IN CNAME nosuch.naver.com."),
        auth("naver.com. 300 IN SOA ns1.naver.com. webmaster.naver.com. 1 900 900 1800 300"));

    Classification kind = classify(reply, "nosuch.nhn.com.", Type.A, "nhn.com.");

    // naver.com.'s SOA and proofs are out of nhn.com.'s bailiwick: its own servers must say NXDOMAIN.
    assertThat(kind).isInstanceOfSatisfying(Classification.Cname.class, cname -> {
      assertThat(cname.target()).isEqualTo(Name.fromConstantString("nosuch.naver.com."));
      assertThat(cname.chain()).extracting(Record::getType).containsExactly(Type.DNAME, Type.CNAME);
    });
  }

  @Test
  void classifiesTheYxdomainOfADnameThatMakesTheNameTooLongWithTheDname() throws Exception {
    // 254 octets on the wire; under naver.com. instead of nhn.com. it would be 256 (RFC 1035 2.3.4: 255 at most).
    String tooLong = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(52) + ".nhn.com.";
    Message reply = reply(tooLong, Type.A, Rcode.YXDOMAIN, true, ans("nhn.com. 3600 IN DNAME naver.com."));

    Classification kind = classify(reply, tooLong, Type.A, "nhn.com.");

    // RFC 6672 2.2: YXDOMAIN with the DNAME and no CNAME; the client is to get the same.
    assertThat(kind).isInstanceOfSatisfying(Classification.YxDomain.class, yx -> {
      assertThat(yx.name()).isEqualTo(Name.fromConstantString(tooLong));
      assertThat(yx.chain()).extracting(Record::toString).containsExactly("nhn.com.\t\t3600\tIN\tDNAME\tnaver.com.");
    });
  }

  @Test
  void throwsAwayAYxdomainWithoutADnameThatExplainsIt() throws Exception {
    Message reply = reply("www.nhn.com.", Type.A, Rcode.YXDOMAIN, true, ans("nhn.com. 3600 IN DNAME naver.com."));

    Classification kind = classify(reply, "www.nhn.com.", Type.A, "nhn.com.");

    // www.naver.com. is short enough: this YXDOMAIN is an error, not an answer.
    assertThat(kind.type()).isEqualTo(ReplyType.THROWAWAY);
  }

  @Test
  void classifiesNxdomainAndNodataWithTheirSoa() throws Exception {
    String soa = "google.com. 60 IN SOA ns1.google.com. dns-admin.google.com. 1 900 900 1800 60";

    Classification nx = classify(reply("nosuch.google.com.", Type.A, Rcode.NXDOMAIN, true, auth(soa)),
        "nosuch.google.com.", Type.A, "google.com.");
    Classification nodata = classify(reply("www.google.com.", Type.AAAA, Rcode.NOERROR, true, auth(soa)),
        "www.google.com.", Type.AAAA, "google.com.");

    assertThat(nx.type()).isEqualTo(ReplyType.NXDOMAIN);
    assertThat(nx).isInstanceOfSatisfying(Classification.NxDomain.class, n -> assertThat(n.soa()).isNotNull());
    assertThat(nodata.type()).isEqualTo(ReplyType.NODATA);
    assertThat(nodata).isInstanceOfSatisfying(Classification.NoData.class, n -> assertThat(n.soa()).isNotNull());
  }

  @Test
  void classifiesRefusedAndUpwardReferralsAsLame() throws Exception {
    Classification refused = classify(reply("www.lame.test.", Type.A, Rcode.REFUSED, false),
        "www.lame.test.", Type.A, "lame.test.");
    Classification upward = classify(reply("www.lame.test.", Type.A, Rcode.NOERROR, false,
        auth(". 518400 IN NS a.root-servers.net.")), "www.lame.test.", Type.A, "lame.test.");

    assertThat(refused.type()).isEqualTo(ReplyType.LAME);
    assertThat(upward.type()).isEqualTo(ReplyType.LAME);
  }

  @Test
  void throwsAwayServfailAndAnswersToAnotherQuestion() throws Exception {
    Classification servfail = classify(reply("www.google.com.", Type.A, Rcode.SERVFAIL, false),
        "www.google.com.", Type.A, "google.com.");
    Classification unrelated = classify(reply("www.google.com.", Type.A, Rcode.NOERROR, true,
        ans("smtp.google.com. 300 IN A 127.53.0.80")), "www.google.com.", Type.A, "google.com.");

    assertThat(servfail.type()).isEqualTo(ReplyType.THROWAWAY);
    assertThat(unrelated.type()).isEqualTo(ReplyType.THROWAWAY);
  }

  private static Classification classify(Message reply, String asked, int type, String zone) {
    Name name = Name.fromConstantString(asked);
    return ReplyClassifier.classify(
        BailiwickScrubber.scrub(reply, Name.fromConstantString(zone), name), name, type, Name.fromConstantString(zone));
  }

  private record Part(int section, String text) {}

  @Test
  void keepsTheSignaturesAndDenialProofsOfItsOwnZoneOnly() throws Exception {
    Message reply = reply("nosuch.google.com.", Type.A, Rcode.NXDOMAIN, true,
        auth("google.com. 300 IN SOA ns1.google.com. dns-admin.google.com. 1 900 900 1800 60"),
        auth("google.com. 300 IN RRSIG SOA 13 2 300 20300101000000 20200101000000 1234 google.com. AAAA"),
        auth("mail.google.com. 300 IN NSEC smtp.google.com. A RRSIG NSEC"),
        auth("mail.google.com. 300 IN RRSIG NSEC 13 3 300 20300101000000 20200101000000 1234 google.com. AAAA"),
        auth("evil.example. 300 IN NSEC zzz.example. A RRSIG NSEC"));

    Classification kind = classify(reply, "nosuch.google.com.", Type.A, "google.com.");

    assertThat(kind).isInstanceOf(Classification.NxDomain.class);
    assertThat(kind.proofs()).as("RFC 4035 3.1.3, out-of-bailiwick NSEC scrubbed")
        .extracting(r -> r.getName() + " " + Type.string(r.getType()))
        .containsExactly("google.com. RRSIG", "mail.google.com. NSEC", "mail.google.com. RRSIG");
  }

  @Test
  void keepsTheDsOfAReferralWithItsSignature() throws Exception {
    Message reply = reply("www.google.com.", Type.A, Rcode.NOERROR, false,
        auth("google.com. 172800 IN NS ns1.google.com."),
        auth("google.com. 86400 IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"),
        auth("google.com. 86400 IN RRSIG DS 8 2 86400 20300101000000 20200101000000 4321 com. AAAA"),
        add("ns1.google.com. 172800 IN A 127.53.0.13"));

    Classification kind = classify(reply, "www.google.com.", Type.A, "com.");

    assertThat(kind).isInstanceOfSatisfying(Classification.Referral.class, referral ->
        assertThat(referral.delegationProof()).extracting(r -> Type.string(r.getType())).containsExactly("DS", "RRSIG"));
  }

  @Test
  void keepsTheSignaturesOverTheAnswerApartFromIt() throws Exception {
    Message reply = reply("www.google.com.", Type.A, Rcode.NOERROR, true,
        ans("www.google.com. 300 IN A 127.53.0.80"),
        ans("www.google.com. 300 IN RRSIG A 13 3 300 20300101000000 20200101000000 1234 google.com. AAAA"));

    Classification kind = classify(reply, "www.google.com.", Type.A, "google.com.");

    assertThat(kind.type()).isEqualTo(ReplyType.ANSWER);
    assertThat(kind.chain()).extracting(r -> Type.string(r.getType())).containsExactly("A");
    assertThat(kind.signatures()).extracting(r -> Type.string(r.getType())).containsExactly("RRSIG");
  }

  private static Part ans(String text) {
    return new Part(Section.ANSWER, text);
  }

  private static Part auth(String text) {
    return new Part(Section.AUTHORITY, text);
  }

  private static Part add(String text) {
    return new Part(Section.ADDITIONAL, text);
  }

  private static Message reply(String qname, int qtype, int rcode, boolean aa, Part... parts) throws Exception {
    Message message = new Message(1);
    message.getHeader().setFlag(Flags.QR);
    if (aa) {
      message.getHeader().setFlag(Flags.AA);
    }
    message.getHeader().setRcode(rcode);
    message.addRecord(Record.newRecord(Name.fromConstantString(qname), qtype, DClass.IN), Section.QUESTION);
    for (Part part : parts) {
      message.addRecord(Record.fromString(Name.root, type(part.text()), DClass.IN, ttl(part.text()),
          rdata(part.text()), Name.root).withName(Name.fromConstantString(part.text().split(" ")[0])), part.section());
    }
    return message;
  }

  private static int type(String text) {
    return Type.value(text.split(" ")[3]);
  }

  private static long ttl(String text) {
    return Long.parseLong(text.split(" ")[1]);
  }

  private static String rdata(String text) {
    String[] fields = text.split(" ", 5);
    return fields[4];
  }
}
