package dev.dnslab.core.scenario;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.fault.FaultHandler;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.lab.LabRole;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * One fault of a scenario: which server injects it and how to build a fresh handler for it (each
 * lab start gets new handlers, so a seeded drop starts its sequence again).
 *
 * @param server the lab role whose chain runs the fault
 * @param line where the fault is written in the scenario file
 * @param handler builds the handler, given where to report injections and the lab's DNSSEC keys
 */
public record ScenarioFault(LabRole server, int line, BiFunction<FaultListener, KeyDirectory, FaultHandler> handler) {
  /** A key folder that holds nothing, for describing a fault without a lab. */
  static final KeyDirectory NO_KEYS = new KeyDirectory(Path.of("/nonexistent/dnslab-keys"));

  public ScenarioFault {
    requireNonNull(server, "server");
    requireNonNull(handler, "handler");
  }

  @Override
  public String toString() {
    return server.serviceName() + ": " + handler.apply(FaultListener.NONE, NO_KEYS);
  }
}
