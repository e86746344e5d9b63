package dev.dnslab.core.scenario;

import static dev.dnslab.core.scenario.FaultParameter.optional;
import static dev.dnslab.core.scenario.FaultParameter.required;
import static dev.dnslab.core.scenario.ParameterType.DOMAIN_NAME;
import static dev.dnslab.core.scenario.ParameterType.IP_ADDRESS;
import static dev.dnslab.core.scenario.ParameterType.NUMBER;
import static dev.dnslab.core.scenario.ParameterType.RCODE;
import static dev.dnslab.core.scenario.ParameterType.RECORD;
import static dev.dnslab.core.scenario.ParameterType.WHOLE_NUMBER;
import static dev.dnslab.core.scenario.ParameterType.choice;
import static dev.dnslab.core.scenario.ParameterType.listOf;

import dev.dnslab.core.fault.DelayFault;
import dev.dnslab.core.fault.DropFault;
import dev.dnslab.core.fault.ForgedCnameFault;
import dev.dnslab.core.fault.NoSoaFault;
import dev.dnslab.core.fault.DsMismatchFault;
import dev.dnslab.core.fault.KeyTrapFault;
import dev.dnslab.core.fault.Nsec3IterationsFault;
import dev.dnslab.core.fault.NsecNotCoveringFault;
import dev.dnslab.core.fault.OutOfBailiwickFault;
import dev.dnslab.core.fault.OversizedFault;
import dev.dnslab.core.fault.RcodeFault;
import dev.dnslab.core.fault.RecordStripFault;
import dev.dnslab.core.fault.SignatureCorruptFault;
import dev.dnslab.core.fault.SignatureWindowFault;
import dev.dnslab.core.fault.TcpOnlyFault;
import dev.dnslab.core.fault.TruncateFault;
import dev.dnslab.core.fault.TtlZeroFault;
import dev.dnslab.core.fault.UnsupportedAlgorithmFault;
import dev.dnslab.core.fault.WrongIdFault;
import dev.dnslab.core.fault.WrongQuestionFault;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Every fault a scenario can inject, each declared once: name, parameters (type and default) and
 * factory, in the order {@code scenarios/README.md} lists them (a test holds the README to this
 * list). A new fault is a handler in {@code dev.dnslab.core.fault} plus one entry here.
 */
public final class FaultKinds {
  private FaultKinds() {}

  public static final List<FaultKind> ALL =
      List.of(
          delay(),
          drop(),
          truncate(),
          rcode(),
          ttlZero(),
          outOfBailiwick(),
          wrongId(),
          wrongQuestion(),
          oversized(),
          tcpOnly(),
          noSoa(),
          forgedCname(),
          // DNSSEC (RFC 4035): each breaks the signed answers of a signed lab in one way.
          signatureWindow(SignatureWindowFault.Window.EXPIRED),
          signatureWindow(SignatureWindowFault.Window.NOT_YET_VALID),
          signatureCorrupt(),
          strip(RecordStripFault.What.RRSIG),
          dsMismatch(),
          strip(RecordStripFault.What.DNSKEY),
          unsupportedAlgorithm(),
          nsec3Iterations(),
          nsecNotCovering(),
          strip(RecordStripFault.What.WILDCARD_PROOF),
          keyTrap());

  /** The kind named {@code name}, if there is one. */
  public static Optional<FaultKind> named(String name) {
    return ALL.stream().filter(kind -> kind.name().equals(name)).findFirst();
  }

  /** Every name, e.g. for {@code (expected: delay, drop, ... or tcp-only)}. */
  public static List<String> names() {
    return ALL.stream().map(FaultKind::name).toList();
  }

  private static FaultKind delay() {
    FaultParameter<Long> ms = required("ms", WHOLE_NUMBER);
    return new FaultKind("delay", List.of(ms),
        (match, args, listener, keys) -> new DelayFault(match, Duration.ofMillis(args.get(ms)), listener));
  }

  private static FaultKind drop() {
    FaultParameter<Double> share = optional("share", NUMBER, "1.0");
    FaultParameter<Long> seed = optional("seed", WHOLE_NUMBER, "0");
    return new FaultKind("drop", List.of(share, seed),
        (match, args, listener, keys) -> new DropFault(match, args.get(share), args.get(seed), listener));
  }

  private static FaultKind truncate() {
    return new FaultKind("truncate", List.of(), (match, args, listener, keys) -> new TruncateFault(match, listener));
  }

  private static FaultKind rcode() {
    FaultParameter<Integer> rcode = required("rcode", RCODE);
    return new FaultKind("rcode", List.of(rcode),
        (match, args, listener, keys) -> new RcodeFault(match, args.get(rcode), listener));
  }

  private static FaultKind ttlZero() {
    return new FaultKind("ttl-zero", List.of(), (match, args, listener, keys) -> new TtlZeroFault(match, listener));
  }

  private static FaultKind outOfBailiwick() {
    FaultParameter<List<Record>> records = required("records", listOf(RECORD));
    return new FaultKind("out-of-bailiwick", List.of(records),
        (match, args, listener, keys) -> new OutOfBailiwickFault(match, args.get(records), listener));
  }

  private static FaultKind wrongId() {
    return new FaultKind("wrong-id", List.of(), (match, args, listener, keys) -> new WrongIdFault(match, listener));
  }

  private static FaultKind wrongQuestion() {
    // TEST-NET-1 (RFC 5737): forged data that must never reach a client.
    FaultParameter<Name> name = optional("name", DOMAIN_NAME, "forged.example.");
    FaultParameter<InetAddress> address = optional("address", IP_ADDRESS, "192.0.2.66");
    return new FaultKind("wrong-question", List.of(name, address),
        (match, args, listener, keys) -> new WrongQuestionFault(match, args.get(name), args.get(address), listener));
  }

  private static FaultKind oversized() {
    FaultParameter<Long> records = optional("records", WHOLE_NUMBER, "120");
    return new FaultKind("oversized", List.of(records),
        (match, args, listener, keys) -> new OversizedFault(match, (int) (long) args.get(records), listener));
  }

  private static FaultKind tcpOnly() {
    FaultParameter<TcpOnlyFault.UdpAnswer> udp = optional("udp", choice(TcpOnlyFault.UdpAnswer.class), "truncate");
    return new FaultKind("tcp-only", List.of(udp),
        (match, args, listener, keys) -> new TcpOnlyFault(match, args.get(udp), listener));
  }

  private static FaultKind signatureWindow(SignatureWindowFault.Window window) {
    return new FaultKind(window.faultName(), List.of(),
        (match, args, listener, keys) -> new SignatureWindowFault(match, window, listener, keys));
  }

  private static FaultKind signatureCorrupt() {
    return new FaultKind("rrsig-corrupt", List.of(),
        (match, args, listener, keys) -> new SignatureCorruptFault(match, listener, keys));
  }

  private static FaultKind strip(RecordStripFault.What what) {
    return new FaultKind(what.faultName(), List.of(),
        (match, args, listener, keys) -> new RecordStripFault(match, what, listener, keys));
  }

  private static FaultKind dsMismatch() {
    return new FaultKind("ds-mismatch", List.of(),
        (match, args, listener, keys) -> new DsMismatchFault(match, listener, keys));
  }

  private static FaultKind unsupportedAlgorithm() {
    // RSAMD5 (1): RFC 8624 3.1 "MUST NOT" validate, and none of the matrix's validators does.
    FaultParameter<Name> zone = required("zone", DOMAIN_NAME);
    FaultParameter<Long> algorithm = optional("algorithm", WHOLE_NUMBER, "1");
    return new FaultKind("unsupported-algorithm", List.of(zone, algorithm), (match, args, listener, keys) ->
        new UnsupportedAlgorithmFault(match, args.get(zone), (int) (long) args.get(algorithm), listener, keys));
  }

  private static FaultKind nsec3Iterations() {
    // Far above the 150 that validators accept since RFC 9276 (which asks for 0).
    FaultParameter<Long> iterations = optional("iterations", WHOLE_NUMBER, "500");
    return new FaultKind("nsec3-iterations", List.of(iterations),
        (match, args, listener, keys) -> new Nsec3IterationsFault(match, (int) (long) args.get(iterations), listener, keys));
  }

  private static FaultKind nsecNotCovering() {
    return new FaultKind("nsec-not-covering", List.of(),
        (match, args, listener, keys) -> new NsecNotCoveringFault(match, listener, keys));
  }

  private static FaultKind keyTrap() {
    FaultParameter<Long> keyCount = optional("keys", WHOLE_NUMBER, "32");
    FaultParameter<Long> signatures = optional("signatures", WHOLE_NUMBER, "32");
    return new FaultKind("keytrap", List.of(keyCount, signatures),
        (match, args, listener, keys) -> new KeyTrapFault(match, (int) (long) args.get(keyCount),
            (int) (long) args.get(signatures), listener, keys));
  }

  private static FaultKind noSoa() {
    return new FaultKind("no-soa", List.of(), (match, args, listener, keys) -> new NoSoaFault(match, listener));
  }

  private static FaultKind forgedCname() {
    FaultParameter<Name> target = optional("target", DOMAIN_NAME, "forged.example.");
    return new FaultKind("forged-cname", List.of(target),
        (match, args, listener, keys) -> new ForgedCnameFault(match, args.get(target), listener));
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  static String either(List<String> names) {
    if (names.size() < 2) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }
}
