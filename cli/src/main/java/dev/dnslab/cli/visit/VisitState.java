package dev.dnslab.cli.visit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The visit client's two caches, the browser's and the operating system's, kept in {@code
 * visit-state.json} under the state directory so that a second {@code visit} finds what the first
 * one learned (while it is fresh).
 */
public final class VisitState {
  public static final String FILE_NAME = "visit-state.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final HostCache browser;
  private final HostCache os;

  private VisitState(Path file, HostCache browser, HostCache os) {
    this.file = file;
    this.browser = browser;
    this.os = os;
  }

  /** Loads {@code stateDir/visit-state.json}; a missing or unreadable file means empty caches. */
  public static VisitState load(Path stateDir, Clock clock) {
    Path file = stateDir.resolve(FILE_NAME);
    Map<String, Map<String, HostCache.Entry>> saved = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      try {
        saved = JSON.readValue(file.toFile(), new TypeReference<>() {});
      } catch (IOException e) {
        // A damaged state file only costs a cold start; the next save replaces it.
        saved = new LinkedHashMap<>();
      }
    }
    return new VisitState(file,
        new HostCache(saved.getOrDefault("browser", Map.of()), clock),
        new HostCache(saved.getOrDefault("os", Map.of()), clock));
  }

  public HostCache browser() {
    return browser;
  }

  public HostCache os() {
    return os;
  }

  public Path file() {
    return file;
  }

  /** Writes both caches atomically (a temporary file, then a rename). */
  public void save() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("browser", browser.entries());
    state.put("os", os.entries());
    try {
      Files.createDirectories(file.getParent());
      Path temporary = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), state);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + file, e);
    }
  }
}
