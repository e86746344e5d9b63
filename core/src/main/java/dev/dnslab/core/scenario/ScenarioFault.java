package dev.dnslab.core.scenario;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.fault.FaultHandler;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.lab.LabRole;
import java.util.function.Function;

/**
 * One fault of a scenario: which server injects it and how to build a fresh handler for it (each
 * lab start gets new handlers, so a seeded drop starts its sequence again).
 *
 * @param server the lab role whose chain runs the fault
 * @param line where the fault is written in the scenario file
 * @param handler builds the handler, given where to report injections
 */
public record ScenarioFault(LabRole server, int line, Function<FaultListener, FaultHandler> handler) {
  public ScenarioFault {
    requireNonNull(server, "server");
    requireNonNull(handler, "handler");
  }

  @Override
  public String toString() {
    return server.serviceName() + ": " + handler.apply(FaultListener.NONE);
  }
}
