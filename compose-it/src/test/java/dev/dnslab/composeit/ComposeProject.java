package dev.dnslab.composeit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One compose project of docker-compose.yml, driven through the compose CLI itself (v1 or v2), as a
 * user would: Testcontainers' compose modules need images we cannot pull.
 */
final class ComposeProject {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

  private final Path root;
  private final String name;
  private final Map<String, String> environment;
  private final List<String> compose;

  ComposeProject(Path root, String name, Map<String, String> environment) {
    this.root = requireNonNull(root, "root");
    this.name = requireNonNull(name, "name");
    this.environment = Map.copyOf(environment);
    this.compose = DockerEngine.composeCommand();
  }

  String name() {
    return name;
  }

  CommandResult run(String... args) {
    List<String> command = new ArrayList<>(compose);
    command.addAll(List.of("-p", name, "-f", "docker-compose.yml"));
    command.addAll(List.of(args));
    return Commands.run(root, environment, COMMAND_TIMEOUT, command);
  }

  /** {@code up -d} building every image first, as {@code docker compose up} does with {@code pull_policy: build}. */
  void up() {
    run("up", "-d", "--build").orFail();
  }

  /** Stops and removes the project's containers, networks and volumes; idempotent. */
  CommandResult down() {
    return run("down", "-v", "--remove-orphans", "--timeout", "10");
  }

  /** Runs a command in the running service's container (no TTY, no stdin). */
  CommandResult exec(String service, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", "-T", service));
    args.addAll(List.of(command));
    return run(args.toArray(String[]::new));
  }

  /** Health status of the service's container: healthy, unhealthy, starting, or none/running. */
  String health(String service) {
    CommandResult id = run("ps", "-q", service);
    String container = id.output().strip();
    if (!id.succeeded() || container.isEmpty() || container.contains("\n")) {
      return "absent";
    }
    CommandResult inspect =
        Commands.run(
            root,
            Map.of(),
            Duration.ofSeconds(30),
            List.of("docker", "inspect", "--format",
                "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}", container));
    return inspect.succeeded() ? inspect.output().strip() : "absent";
  }

  /** Polls until every service is healthy, or fails with their states and recent logs. */
  void awaitHealthy(List<String> services, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> states = new ArrayList<>();
      boolean allHealthy = true;
      for (String service : services) {
        String state = health(service);
        states.add(service + "=" + state);
        allHealthy &= state.equals("healthy");
        if (state.equals("unhealthy") || state.equals("exited") || state.equals("dead")) {
          throw new AssertionError("service " + service + " is " + state + "\n" + logs());
        }
      }
      if (allHealthy) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not healthy within " + timeout + ": " + states + "\n" + logs());
      }
      try {
        Thread.sleep(500); // each round already costs a few compose/docker calls
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + services);
      }
    }
  }

  /** Polls until the service's container is running (for services without a health check). */
  void awaitRunning(String service, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state;
    while (!(state = health(service)).equals("running")) {
      if (System.nanoTime() > deadline || state.equals("exited") || state.equals("dead")) {
        throw new AssertionError("service " + service + " is " + state + ", not running\n" + logs());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + service);
      }
    }
  }

  String logs() {
    return run("logs", "--no-color", "--tail", "40").output();
  }
}
