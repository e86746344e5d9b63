package dev.dnslab.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The lab's sites as shipped inside the jar (a copy of the project's {@code sites/} folder), for
 * when no {@code sites/} folder is at hand.
 */
public final class BundledSites {
  static final String RESOURCE_ROOT = "/dnslab/sites";

  private BundledSites() {}

  /** {@code ./sites} when the working directory has one, else a fresh copy of the bundled sites. */
  public static Path locate() {
    Path local = Path.of("sites");
    if (Files.isDirectory(local) && Files.isRegularFile(local.resolve(SiteCatalog.ALIASES_FILE))) {
      return local;
    }
    return extract();
  }

  /** Copies the bundled sites into a new temporary folder and returns it. */
  public static Path extract() {
    URL url = BundledSites.class.getResource(RESOURCE_ROOT);
    if (url == null) {
      throw new IllegalStateException("the sites are missing from the jar (" + RESOURCE_ROOT + ")");
    }
    try {
      Path target = Files.createTempDirectory("dnslab-sites-");
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem jar;
        boolean opened = false;
        try {
          jar = FileSystems.newFileSystem(uri, Map.of());
          opened = true;
        } catch (FileSystemAlreadyExistsException e) {
          jar = FileSystems.getFileSystem(uri);
        }
        try {
          copyTree(jar.getPath(RESOURCE_ROOT), target);
        } finally {
          if (opened) {
            jar.close();
          }
        }
      } else {
        copyTree(Path.of(uri), target);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled sites", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path out = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(out);
        } else {
          Files.copy(path, out);
        }
        out.toFile().deleteOnExit();
      }
    }
  }
}
