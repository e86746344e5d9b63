package dev.dnslab.core.scenario;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.lab.LabRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Asks a resolver under test one {@link ScenarioCheck}'s question and judges its reply: the one
 * judge of the resolver matrix (dnslab-junit) and of {@code dnslab check}, so a pod in a cluster
 * and the matrix on one machine hold a resolver to the same outcome.
 *
 * <pre>{@code
 * for (ScenarioCheck check : scenario.checks()) {
 *   CheckOutcome outcome = CheckRunner.run(check, resolverAddress, labView);
 * }
 * }</pre>
 */
public final class CheckRunner {
  /** How long the client waits for each try before asking again, as stub resolvers do. */
  public static final Duration STUB_RETRY = Duration.ofSeconds(2);

  /** What a check needs to know about the lab the resolver walked. */
  public interface LabView {
    /**
     * Where an address written in the zone files (127.53.0.0/24) lives in this lab; other addresses
     * as they are.
     */
    InetAddress address(String zoneFileAddress);

    /** Whether {@code role}'s server has received a query over TCP so far. */
    boolean receivedTcp(LabRole role) throws IOException;
  }

  private CheckRunner() {}

  /** Asks {@code check}'s question at {@code resolver} and judges the reply against {@code lab}. */
  public static CheckOutcome run(ScenarioCheck check, InetSocketAddress resolver, LabView lab) throws IOException {
    return run(check, resolver, lab, false);
  }

  /**
   * As {@link #run(ScenarioCheck, InetSocketAddress, LabView)}; with {@code validating}, the resolver
   * trusts the lab's anchor: the question carries DO, and the check's {@code ad:} is judged.
   */
  public static CheckOutcome run(ScenarioCheck check, InetSocketAddress resolver, LabView lab, boolean validating)
      throws IOException {
    requireNonNull(check, "check");
    requireNonNull(resolver, "resolver");
    requireNonNull(lab, "lab");
    SimpleResolver client = new SimpleResolver(resolver);
    if (validating) {
      client.setEDNS(0, 1232, ExtendedFlags.DO, List.of()); // RFC 6840 5.7: AD comes back for DO queries
    } else if (check.ede().isPresent()) {
      client.setEDNS(0, 1232, 0, List.of()); // RFC 8914 3: EDE rides in OPT, only for a client that sent one
    }
    if (!check.after().isZero()) {
      // Not a hope that something is ready: the check is about what happens once the TTL of what
      // the resolver cached has run out, and only time makes it run out.
      try {
        Thread.sleep(check.after().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting " + check.after().toMillis() + "ms", e);
      }
    }
    Message query = Message.newQuery(Record.newRecord(check.name(), check.type(), DClass.IN));
    long start = System.nanoTime();
    long deadline = start + check.within().toNanos();
    Message response = null;
    // Like a stub resolver (dig +time=2, glibc's timeout:2): ask again every 2 s until the bound.
    while (response == null && deadline - System.nanoTime() > 0) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      client.setTimeout(Duration.ofMillis(Math.max(1, Math.min(STUB_RETRY.toMillis(), left))));
      try {
        response = client.send(query);
      } catch (IOException timedOut) {
        // no answer to this try; after the last one, recorded as TIMEOUT
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String late = "";
    if (response != null && millis > check.within().toMillis()) {
      // The last try's timer may run a millisecond past the bound: an answer after it is no answer
      // within it (the stub had given up), so it counts as a timeout. BIND's SERVFAIL at its own
      // 10 s resolver-query-timeout came at 10,001 ms of a 10 s check that accepts a timeout.
      late = " (" + Rcode.string(response.getRcode()) + " after " + millis + "ms)";
      response = null;
    }

    List<String> answers = response == null ? List.of() : response.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == Type.A || r.getType() == Type.AAAA)
        .map(Record::rdataToString).collect(Collectors.toList());
    List<String> problems = new ArrayList<>();
    if (response == null) {
      if (!check.rcodes().contains(ScenarioCheck.TIMEOUT)) {
        problems.add("no answer within " + check.within().toMillis() + "ms");
      }
    } else if (!check.rcodes().contains(response.getRcode())) {
      problems.add("rcode " + Rcode.string(response.getRcode()));
    }
    if (response != null && response.getRcode() == Rcode.NOERROR) {
      for (String expected : check.answer()) {
        String address = lab.address(expected).getHostAddress();
        if (!answers.contains(address)) {
          problems.add("answer lacks " + address);
        }
      }
    }
    for (String forbidden : check.never()) {
      if (answers.contains(forbidden)) {
        problems.add("answered forged " + forbidden);
      }
    }
    List<Integer> edeCodes = response == null || response.getOPT() == null ? List.of()
        : response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
            .map(option -> ((ExtendedErrorCodeOption) option).getErrorCode()).toList();
    if (response != null && response.getRcode() == Rcode.NOERROR) {
      check.ede().filter(code -> !edeCodes.contains(code)).ifPresent(code -> problems.add("no EDE " + code));
    }
    boolean authenticated = response != null && response.getHeader().getFlag(Flags.AD);
    if (validating && response != null && response.getRcode() != Rcode.SERVFAIL) {
      check.authenticated().filter(ad -> ad != authenticated).ifPresent(ad -> problems.add(ad ? "no AD" : "AD set"));
    }
    boolean tcpSeen = check.tcpAt().isPresent() && lab.receivedTcp(check.tcpAt().get());
    if (check.tcpAt().isPresent() && !tcpSeen) {
      problems.add("no TCP query at " + check.tcpAt().get().serviceName());
    }

    String got = response == null ? "TIMEOUT" + late : Rcode.string(response.getRcode())
        + (answers.isEmpty() ? "" : " " + summarize(answers)) + (validating && authenticated ? " AD" : "")
        + edeCodes.stream().map(code -> " EDE " + code).collect(Collectors.joining());
    if (tcpSeen) {
      got += " (TCP at " + check.tcpAt().get().serviceName() + ")";
    }
    return new CheckOutcome(check, expected(check), got, millis, problems);
  }

  /** {@code NOERROR 127.53.0.80, never 6.6.6.6, TCP at tld-ns, <= 10s}: the outcome a correct resolver reaches. */
  public static String expected(ScenarioCheck check) {
    return check.rcodes().stream().sorted().map(ScenarioCheck::rcodeName).collect(Collectors.joining("/"))
        + (check.answer().isEmpty() ? "" : " " + String.join(",", check.answer()))
        + (check.never().isEmpty() ? "" : ", never " + String.join(",", check.never()))
        + check.tcpAt().map(r -> ", TCP at " + r.serviceName()).orElse("")
        + check.authenticated().map(ad -> ad ? ", AD" : ", no AD").orElse("")
        + check.ede().map(code -> ", EDE " + code + " if NOERROR").orElse("")
        + ", <= " + check.within().toSeconds() + "s";
  }

  private static String summarize(List<String> answers) {
    return answers.size() <= 3 ? String.join(",", answers) : answers.get(0) + ",... (" + answers.size() + " addresses)";
  }
}
