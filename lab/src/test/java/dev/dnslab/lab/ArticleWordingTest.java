package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * "Seeds" is our internal name for the two articles the lab follows. Users read "the articles" or
 * "the story" (docs/articles.md). This test reads every text a user sees: READMEs, docs/, sites/,
 * zones/, scenarios/ and every main source and resource (CLI output, pages, JSON field names,
 * Javadoc). It fails on any use of "seed" that means the articles. A random-number seed (the drop
 * fault's {@code seed}, "seeded") is another word and stays.
 */
class ArticleWordingTest {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

  /** The articles as "seeds": plural, possessive, numbered ("seed 2") or "seed step"/seedStep. */
  private static final Pattern ARTICLES_AS_SEEDS =
      Pattern.compile("(?i)\\bseeds\\b|\\bseed(?:'s|s')|\\bseed\\s+\\d|\\bseed[\\s_-]*step");

  /**
   * The visit JSON's deprecated alias of {@code articleStep}. It may appear only where it is
   * declared and documented. Remove it in 0.2 together with the alias.
   */
  private static final String DEPRECATED_ALIAS = "seedStep";

  private static final Set<String> FILES_DOCUMENTING_THE_ALIAS = Set.of("VisitReport.java", "visit.md", "articles.md");

  private static final Set<String> NOT_SOURCES = Set.of(".git", "target", "node_modules", ".ci", ".mvn");

  @Test
  void neverCallsTheArticlesSeeds() throws IOException {
    List<String> offending = new ArrayList<>();
    List<Path> files = userFacingFiles();
    for (Path file : files) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (java.nio.charset.MalformedInputException binary) {
        continue; // an image or another binary file: no words in it
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (FILES_DOCUMENTING_THE_ALIAS.contains(file.getFileName().toString())) {
          line = line.replace(DEPRECATED_ALIAS, "");
        }
        Matcher matcher = ARTICLES_AS_SEEDS.matcher(line);
        if (matcher.find()) {
          offending.add(PROJECT.relativize(file) + ":" + (i + 1) + ": \"" + matcher.group() + "\" in: " + lines.get(i).strip());
        }
      }
    }

    assertThat(files).as("the scan found the user-facing files").hasSizeGreaterThan(50)
        .contains(PROJECT.resolve("README.md"), PROJECT.resolve("docs/visit.md"));
    assertThat(offending).as("call them \"the articles\" or \"the story\" (docs/articles.md)").isEmpty();
  }

  /** READMEs anywhere; everything under docs/, sites/, zones/, scenarios/ and any src/main. */
  private static List<Path> userFacingFiles() throws IOException {
    try (Stream<Path> paths = Files.walk(PROJECT)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(path -> {
            Path relative = PROJECT.relativize(path);
            for (Path part : relative) {
              if (NOT_SOURCES.contains(part.toString())) {
                return false;
              }
            }
            String top = relative.getName(0).toString();
            return relative.getFileName().toString().startsWith("README")
                || Set.of("docs", "sites", "zones", "scenarios").contains(top)
                || relative.toString().contains("src/main/");
          })
          .sorted()
          .toList();
    }
  }
}
