package dev.dnslab.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sites folder with a secret beside it and ways out of it: a file and a folder outside the site,
 * symbolic links to both from inside the site, and a dot-file. A response that contains {@link
 * #SECRET} served something it must not. One link stays inside the site ({@code shortcut}, to the
 * about folder), and is served.
 */
final class SitesWithSecrets {
  static final String SECRET = "the-secret-next-to-the-sites-folder";

  private SitesWithSecrets() {}

  /** Writes the layout under {@code root} and returns the sites folder. */
  static Path create(Path root) {
    try {
      Path sites = Files.createDirectories(root.resolve("sites"));
      Path site = Files.createDirectories(sites.resolve("www.google.com"));
      Files.writeString(site.resolve("index.html"), "<h1>lab page</h1>");
      Files.createDirectories(site.resolve("about"));
      Files.writeString(site.resolve("about/index.html"), "<h1>about</h1>");
      Files.writeString(root.resolve("secret.txt"), SECRET);
      Files.createDirectories(root.resolve("outside"));
      Files.writeString(root.resolve("outside/secret.txt"), SECRET);
      Files.createSymbolicLink(site.resolve("leak.txt"), root.resolve("secret.txt"));
      Files.createSymbolicLink(site.resolve("linked"), root.resolve("outside"));
      Files.createSymbolicLink(site.resolve("shortcut"), site.resolve("about"));
      Files.writeString(site.resolve(".env"), SECRET);
      return sites;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
