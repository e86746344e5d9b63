package dev.dnslab.recursor.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.recursor.dnssec.LabChainOfTrust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** The {@code dnssec} block of the /trace JSON: added beside the old fields, never instead of one. */
class TraceDnssecTest {
  @TempDir static Path keyDir;
  static LabChainOfTrust lab;
  static LabChainOfTrust rolled;

  @BeforeAll
  static void signTheLab() throws Exception {
    LabChainOfTrust.Signed signed = LabChainOfTrust.Signed.in(keyDir);
    lab = signed.secure();
    rolled = signed.dsMismatch();
  }

  @Test
  void keepsEveryFieldOfTheTraceAndAddsDnssecLast() throws Exception {
    JsonNode json = json(trace().withDnssec(lab.validate("www.google.com.", Type.A)));

    assertThat(json.fieldNames()).toIterable().containsExactly("question", "qnameMinimisation", "rcode", "answer",
        "authority", "failure", "upstreamQueries", "durationMillis", "steps", "priming", "dnssec");
  }

  @Test
  void writesNullForAnAnswerThatWasNotValidated() throws Exception {
    JsonNode json = json(trace());

    assertThat(json.has("dnssec")).isTrue();
    assertThat(json.get("dnssec").isNull()).isTrue();
  }

  @Test
  void showsEachZoneOfASecureChainWithItsDsKeysAndSignatures() throws Exception {
    JsonNode dnssec = json(trace().withDnssec(lab.validate("www.google.com.", Type.A))).get("dnssec");

    assertThat(dnssec.fieldNames()).toIterable().containsExactly("security", "ede", "reason", "brokenAt", "chain");
    assertThat(dnssec.get("security").asText()).isEqualTo("SECURE");
    assertThat(dnssec.get("ede").isNull()).isTrue();
    assertThat(dnssec.get("brokenAt").isNull()).isTrue();
    assertThat(dnssec.get("chain").findValuesAsText("zone")).containsExactly(".", "com.", "google.com.");
    JsonNode root = dnssec.get("chain").get(0);
    assertThat(root.fieldNames()).toIterable()
        .containsExactly("zone", "security", "reason", "ds", "dnskeys", "signatures");
    assertThat(root.get("ds").get(0).asText()).contains("IN\tDS\t" + lab.zone(".").keys().keySigningKeys().get(0).tag());
    JsonNode rootKsk = first(root.get("dnskeys"), "flags", 257);
    assertThat(rootKsk.fieldNames()).toIterable()
        .containsExactly("tag", "flags", "algorithm", "algorithmName", "secureEntryPoint", "trusted");
    assertThat(rootKsk.get("algorithm").asInt()).isEqualTo(8);
    assertThat(rootKsk.get("algorithmName").asText()).isEqualTo("RSASHA256");
    assertThat(rootKsk.get("trusted").asBoolean()).isTrue();
    assertThat(signed(root)).contains(". DNSKEY by " + rootKsk.get("tag").asInt() + ": SECURE",
        "com. DS by " + lab.zone(".").keys().zoneSigningKeys().get(0).tag() + ": SECURE");
    JsonNode google = dnssec.get("chain").get(2);
    assertThat(google.get("dnskeys")).hasSize(1); // a combined signing key (zones/dnssec.yaml: csk)
    assertThat(signed(google)).contains("www.google.com. A by " + google.get("dnskeys").get(0).get("tag").asInt() + ": SECURE");
  }

  @Test
  void endsAnInsecureChainAtTheUnsignedDelegation() throws Exception {
    JsonNode dnssec = json(trace().withDnssec(lab.validate("www.example.org.", Type.A))).get("dnssec");

    assertThat(dnssec.get("security").asText()).isEqualTo("INSECURE");
    assertThat(dnssec.get("chain").findValuesAsText("security")).containsExactly("SECURE", "SECURE", "INSECURE");
    assertThat(dnssec.get("chain").get(1).get("signatures").findValuesAsText("type")).contains("NSEC");
    assertThat(dnssec.get("brokenAt").isNull()).isTrue();
  }

  @Test
  void saysWhereABogusChainBreaksWithItsEde() throws Exception {
    JsonNode dnssec = json(trace().withDnssec(rolled.validate("www.google.com.", Type.A))).get("dnssec");

    assertThat(dnssec.get("security").asText()).isEqualTo("BOGUS");
    assertThat(dnssec.get("ede").get("code").asInt()).isEqualTo(9);
    assertThat(dnssec.get("ede").get("name").asText()).isNotBlank();
    assertThat(dnssec.get("brokenAt").asText()).isEqualTo("google.com.");
    assertThat(dnssec.get("reason").asText()).contains("google.com.", "DS");
    JsonNode google = dnssec.get("chain").get(2);
    assertThat(google.get("security").asText()).isEqualTo("BOGUS");
    assertThat(google.get("dnskeys").findValuesAsText("trusted")).containsOnly("false");
  }

  private static Trace trace() {
    return new Trace(new TraceStep.Question("www.google.com.", "A"), true, "NOERROR",
        List.of("www.google.com.\t300\tIN\tA\t127.53.0.80"), List.of(), null, 3, 1.5, List.of(),
        new Priming(Priming.RootServers.PRIMED, "why", List.of()));
  }

  private static JsonNode json(Trace trace) throws Exception {
    return AdminResponse.mapper().readTree(AdminResponse.mapper().writeValueAsString(trace));
  }

  private static JsonNode first(JsonNode array, String field, int value) {
    for (JsonNode element : array) {
      if (element.get(field).asInt() == value) {
        return element;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  /** "owner TYPE by TAG: RESULT" for each signature of a link. */
  private static List<String> signed(JsonNode link) {
    List<String> lines = new ArrayList<>();
    for (JsonNode s : link.get("signatures")) {
      lines.add(s.get("owner").asText() + " " + s.get("type").asText() + " by " + s.get("keyTag").asInt() + ": "
          + s.get("result").asText());
    }
    return lines;
  }
}
