package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** One lab site: the host name it answers to and the folder its files come from (a real path). */
public record Site(String host, Path root) {
  public Site {
    requireNonNull(host, "host");
    requireNonNull(root, "root");
  }
}
