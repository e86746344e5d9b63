package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedTargetsTest {
  @TempDir Path root;

  private final RememberedTargets targets = new RememberedTargets();

  private Site site(String name) throws IOException {
    return new Site(name + ".test", Files.createDirectories(root.resolve(name)).toRealPath());
  }

  @Test
  void answersARememberedPathWithTheTargetItMadeTheFirstTime() throws IOException {
    Site site = site("lab");

    SitePathResolver.Target first = targets.target(site, "/about/");

    assertThat(targets.target(site, "/about/")).isSameAs(first);
    assertThat(first).isEqualTo(new SitePathResolver.Candidate(
        site.root().resolve("about"), true, site.root().resolve("about/index.html"), site.root().resolve("about")));
  }

  @Test
  void remembersWhatThePathAloneDecides() throws IOException {
    Site site = site("lab");

    assertThat(targets.target(site, "/%2e%2e/secret.txt"))
        .isInstanceOfSatisfying(SitePathResolver.Decided.class,
            decided -> assertThat(decided.answer().kind()).isEqualTo(SiteFile.Kind.REFUSED));
    assertThat(targets.target(site, "/.git/config"))
        .isInstanceOfSatisfying(SitePathResolver.Decided.class,
            decided -> assertThat(decided.answer().kind()).isEqualTo(SiteFile.Kind.NOT_FOUND));
  }

  @Test
  void keepsEachSitesPathsApart() throws IOException {
    Site one = site("one");
    Site two = site("two");

    SitePathResolver.Target inOne = targets.target(one, "/page.html");
    SitePathResolver.Target inTwo = targets.target(two, "/page.html");

    assertThat(((SitePathResolver.Candidate) inOne).path()).isEqualTo(one.root().resolve("page.html"));
    assertThat(((SitePathResolver.Candidate) inTwo).path()).isEqualTo(two.root().resolve("page.html"));
    assertThat(targets.size(one)).isEqualTo(1);
    assertThat(targets.size(two)).isEqualTo(1);
  }

  @Test
  void remembersABoundedNumberOfPathsPerSite() throws IOException {
    Site site = site("lab");
    for (int i = 0; i <= RememberedTargets.MAX_PER_SITE + 10; i++) {
      targets.target(site, "/no-such-page-" + i);
    }

    assertThat(targets.size(site)).isPositive().isLessThanOrEqualTo(RememberedTargets.MAX_PER_SITE);
  }
}
