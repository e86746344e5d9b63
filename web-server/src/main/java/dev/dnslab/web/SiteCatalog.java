package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The lab's sites, read from a folder with one folder per host ({@code sites/www.google.com/}),
 * plus {@code aliases.properties}: hosts that redirect to another site, the way google.com sends
 * browsers to www.google.com.
 */
public final class SiteCatalog {
  public static final String ALIASES_FILE = "aliases.properties";

  private final Map<String, Site> sites;
  private final Map<String, String> aliases;

  private SiteCatalog(Map<String, Site> sites, Map<String, String> aliases) {
    this.sites = Collections.unmodifiableMap(sites);
    this.aliases = Collections.unmodifiableMap(aliases);
  }

  /**
   * Reads {@code folder}.
   *
   * @throws IllegalArgumentException when the folder holds no site or an alias points nowhere
   */
  public static SiteCatalog load(Path folder) {
    requireNonNull(folder, "folder");
    Map<String, Site> sites = new TreeMap<>();
    Map<String, String> aliases = new TreeMap<>();
    try {
      Path root = folder.toRealPath();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
        for (Path entry : entries) {
          String host = entry.getFileName().toString().toLowerCase(Locale.ROOT);
          sites.put(host, new Site(host, entry.toRealPath()));
        }
      }
      Path aliasFile = root.resolve(ALIASES_FILE);
      if (Files.isRegularFile(aliasFile)) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(aliasFile, StandardCharsets.UTF_8)) {
          properties.load(reader);
        }
        for (String alias : properties.stringPropertyNames()) {
          String target = properties.getProperty(alias).strip().toLowerCase(Locale.ROOT);
          if (!sites.containsKey(target)) {
            throw new IllegalArgumentException(
                aliasFile + ": " + alias + " = " + target + ": no such site (sites: " + String.join(" ", sites.keySet()) + ")");
          }
          aliases.put(alias.strip().toLowerCase(Locale.ROOT), target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("sites folder " + folder + ": " + e.getMessage(), e);
    }
    if (sites.isEmpty()) {
      throw new IllegalArgumentException("sites folder " + folder + ": no site folders (expected: e.g. www.google.com/index.html)");
    }
    return new SiteCatalog(sites, aliases);
  }

  /** The site serving {@code host} (already lower-cased, without port), or null. */
  public Site site(String host) {
    return sites.get(host);
  }

  /** The site {@code host} redirects to, or null when it is not an alias. */
  public String aliasTarget(String host) {
    return aliases.get(host);
  }

  /** Whether {@code host} is a site or an alias: only those may become a metric tag. */
  public boolean knows(String host) {
    return host != null && (sites.containsKey(host) || aliases.containsKey(host));
  }

  /** Site host names, sorted. */
  public List<String> hosts() {
    return List.copyOf(sites.keySet());
  }

  /** Every name a certificate should cover: sites and aliases. */
  public List<String> allNames() {
    List<String> names = new ArrayList<>(sites.keySet());
    names.addAll(aliases.keySet());
    return List.copyOf(names);
  }

  public Map<String, String> aliases() {
    return aliases;
  }
}
