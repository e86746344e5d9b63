package dev.dnslab.core.scenario;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.fault.QueryRecorder;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import dev.dnslab.core.server.DnsHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A lab in which something goes wrong on purpose: the zones to serve (the lab's own, with files
 * added or replaced per server) and the faults each server injects, plus the checks a correct
 * resolver passes. Read one with {@link ScenarioReader}; the format is documented in
 * {@code scenarios/README.md}.
 *
 * @param name the scenario's name, e.g. {@code lame-delegation}
 * @param description what is wrong, in one sentence
 * @param correct what a correct resolver does, with the RFC section
 * @param source the scenario file
 * @param zoneFiles zone files to add to (or replace in, by file name) each server's zones
 * @param faults the faults, in chain order per server
 * @param checks questions for a resolver under test and their correct outcomes
 * @param rateLimits the servers that limit their UDP responses (the {@code rate-limit:} key), and how
 */
public record Scenario(
    String name,
    String description,
    String correct,
    Path source,
    Map<LabRole, List<Path>> zoneFiles,
    List<ScenarioFault> faults,
    List<ScenarioCheck> checks,
    Map<LabRole, ResponseRateLimit> rateLimits) {

  public Scenario {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(correct, "correct");
    requireNonNull(source, "source");
    zoneFiles = Map.copyOf(requireNonNull(zoneFiles, "zoneFiles"));
    faults = List.copyOf(requireNonNull(faults, "faults"));
    checks = List.copyOf(requireNonNull(checks, "checks"));
    rateLimits = Map.copyOf(requireNonNull(rateLimits, "rateLimits"));
  }

  /** The response rate limiting of {@code server}'s authority, or empty when it answers everyone. */
  public Optional<ResponseRateLimit> rateLimit(LabRole server) {
    return Optional.ofNullable(rateLimits.get(server));
  }

  /**
   * The interceptors of each lab server: a {@link QueryRecorder} writing into {@code journal}, then
   * this scenario's faults for that server, built fresh and reporting to the recorder. DNSSEC faults
   * sign their crafted data with the lab's keys in {@code keys}, the folder its servers sign with.
   */
  public Function<LabRole, List<DnsHandler>> interceptors(QueryJournal journal, KeyDirectory keys) {
    requireNonNull(journal, "journal");
    requireNonNull(keys, "keys");
    return role -> {
      QueryRecorder recorder = journal.recorder(role.serviceName());
      List<DnsHandler> chain = new ArrayList<>();
      chain.add(recorder);
      for (ScenarioFault fault : faults) {
        if (fault.server() == role) {
          chain.add(fault.handler().apply(recorder, keys));
        }
      }
      return chain;
    };
  }

  /**
   * The zones folder to serve: {@code base} itself when the scenario changes no zone, otherwise a
   * new temporary folder holding a copy of {@code base} with the scenario's zone files laid over it.
   */
  public Path zones(Path base) throws IOException {
    return zoneFiles.isEmpty() ? base : ScenarioZones.overlay(base, zoneFiles, name);
  }
}
