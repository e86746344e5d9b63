package dev.dnslab.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each request path names in each site ({@link SitePathResolver#target}), remembered: it
 * depends on the site and the path alone, so the short way of a plain GET does not split, decode
 * and build the path again for every request of the same page. A client chooses the paths, so at
 * most {@link #MAX_PER_SITE} are kept per site; past that the site's memory starts over.
 */
final class RememberedTargets {
  static final int MAX_PER_SITE = 1024;

  private final Map<Site, Map<String, SitePathResolver.Target>> bySite = new ConcurrentHashMap<>();

  SitePathResolver.Target target(Site site, String path) {
    Map<String, SitePathResolver.Target> known = bySite.computeIfAbsent(site, any -> new ConcurrentHashMap<>());
    SitePathResolver.Target target = known.get(path);
    if (target == null) {
      if (known.size() >= MAX_PER_SITE) {
        known.clear();
      }
      target = SitePathResolver.target(site, path);
      known.put(path, target);
    }
    return target;
  }

  int size(Site site) {
    Map<String, SitePathResolver.Target> known = bySite.get(site);
    return known == null ? 0 : known.size();
  }
}
