package dev.dnslab.core.zone;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zones a server currently serves, read from zone files, and replaced only as a whole: a reload
 * either loads every file or changes nothing, so a bad edit never takes a running server's data
 * away (it keeps serving the last good set and reports the error).
 */
public final class ZoneRepository {
  private static final Logger log = LoggerFactory.getLogger(ZoneRepository.class);

  private final List<Path> sources;
  private final ZoneFileLoader loader;
  private final AtomicReference<ZoneSet> current = new AtomicReference<>(ZoneSet.empty());

  /**
   * @param sources zone files ({@code NAME.zone}) and directories whose {@code *.zone} files are
   *     all loaded
   */
  public ZoneRepository(List<Path> sources, ZoneFileLoader loader) {
    this.sources = List.copyOf(requireNonNull(sources, "sources"));
    this.loader = requireNonNull(loader, "loader");
  }

  /** A repository over zones already built (tests, scenarios). */
  public static ZoneRepository of(ZoneSet zones) {
    ZoneRepository repository = new ZoneRepository(List.of(), new ZoneFileLoader());
    repository.current.set(zones);
    return repository;
  }

  public ZoneSet zones() {
    return current.get();
  }

  /**
   * Loads all sources and, only if every file is good, swaps them in. On error the previous zones
   * stay in service and the exception names the file, line and reason.
   */
  public ZoneSet reload() throws ZoneLoadException {
    ZoneSet loaded = load();
    serve(loaded);
    logLoaded(loaded);
    return loaded;
  }

  /**
   * Reads every source without serving it yet, for a caller with more to do before the swap (the
   * DNSSEC signer); {@link #serve} then puts the result in service.
   */
  public ZoneSet load() throws ZoneLoadException {
    List<Zone> zones = new ArrayList<>();
    for (Path file : zoneFiles()) {
      zones.add(loader.load(file));
    }
    try {
      return new ZoneSet(zones);
    } catch (IllegalArgumentException e) {
      throw new ZoneLoadException(sources.get(0), 0, e.getMessage());
    }
  }

  /** Puts {@code zones} in service as one swap, replacing the whole previous set. */
  public void serve(ZoneSet zones) {
    current.set(requireNonNull(zones, "zones"));
  }

  /** The INFO line per zone that says a load put it in service. */
  public static void logLoaded(ZoneSet zones) {
    for (Zone zone : zones.zones()) {
      log.info("loaded zone {} serial {} ({} records) from {}", zone.origin(), zone.serial(), zone.size(), zone.source());
    }
  }

  private List<Path> zoneFiles() throws ZoneLoadException {
    List<Path> files = new ArrayList<>();
    for (Path source : sources) {
      if (Files.isDirectory(source)) {
        try (Stream<Path> listing = Files.list(source)) {
          listing
              .filter(p -> p.getFileName().toString().endsWith(ZoneFileLoader.ZONE_FILE_SUFFIX))
              .filter(Files::isRegularFile)
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new ZoneLoadException(source, 0, "cannot list directory: " + e);
        }
      } else if (Files.isRegularFile(source)) {
        files.add(source);
      } else {
        throw new ZoneLoadException(source, 0, "no such zone file or directory");
      }
    }
    if (files.isEmpty()) {
      throw new ZoneLoadException(sources.isEmpty() ? Path.of(".") : sources.get(0), 0, "no *.zone files found");
    }
    return files;
  }
}
