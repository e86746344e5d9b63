package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledSitesTest {
  /** The story's hosts whose zones point at the web server; other sites (e.g. a console) may join them. */
  private static final List<String> STORY_SITES =
      List.of("www.example.co.kr", "www.example.org", "www.google.com", "www.naver.com");

  @Test
  void bundlesASiteForEveryLabHostThatResolvesToTheWebServer() {
    SiteCatalog sites = SiteCatalog.load(BundledSites.extract());

    assertThat(sites.hosts()).containsAll(STORY_SITES);
    assertThat(sites.aliasTarget("google.com")).isEqualTo("www.google.com");
  }

  @Test
  void everySitePageSaysWhereItCameFromAndLinksToTheEcho() throws Exception {
    SiteCatalog sites = SiteCatalog.load(BundledSites.extract());

    for (String host : STORY_SITES) {
      String index = Files.readString(sites.site(host).root().resolve("index.html"));
      assertThat(index).as(host).contains("<b>" + host + "</b>").contains("127.53.0.80").contains("/_lab/echo");
    }
  }

  @Test
  void refusesAnAliasToASiteThatDoesNotExist(@TempDir Path folder) throws Exception {
    Files.createDirectories(folder.resolve("www.google.com"));
    Files.writeString(folder.resolve("aliases.properties"), "google.com = www.gogle.com\n");

    assertThatThrownBy(() -> SiteCatalog.load(folder)).hasMessageContaining("google.com = www.gogle.com: no such site");
  }

  @Test
  void refusesAFolderWithoutSites(@TempDir Path folder) {
    assertThatThrownBy(() -> SiteCatalog.load(folder)).hasMessageContaining("no site folders");
  }
}
