package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Dependencies point down (docs/architecture.md): a role never depends on another role, and the
 * lab library, which dnslab-junit brings into other projects, never pulls in the command line
 * (picocli commands, tshark, Chromium). Read from the reactor's pom.xml files, so a new
 * dependency fails here before anyone reads it.
 */
class ModuleDependenciesTest {
  private static final Path ROOT = Path.of("..");

  /** The thin role modules: each depends on core (and test helpers), never on another role. */
  private static final Set<String> ROLES = Set.of(
      "dnslab-root-ns", "dnslab-tld-ns", "dnslab-authoritative-ns", "dnslab-recursor", "dnslab-router",
      "dnslab-web-server");

  /** Scopes that reach a user's runtime classpath. */
  private static final Set<String> RUNTIME_SCOPES = Set.of("compile", "runtime");

  record Dependency(String artifactId, String scope) {}

  @Test
  void noRoleDependsOnAnotherRole() {
    List<String> edges = new ArrayList<>();
    reactor().forEach((module, dependencies) -> {
      if (ROLES.contains(module)) {
        dependencies.stream().filter(d -> ROLES.contains(d.artifactId()) && !d.artifactId().equals(module))
            .forEach(d -> edges.add(module + " -> " + d.artifactId()));
      }
    });

    assertThat(edges).as("role modules depending on other roles").isEmpty();
  }

  @Test
  void junitRuntimeClasspathHasNoCommandLine() {
    Set<String> runtime = runtimeClosure("dnslab-junit");

    assertThat(runtime).contains("dnslab-lab").doesNotContain("dnslab-cli");
  }

  @Test
  void labLibraryHoldsNoCommandLineCode() throws IOException {
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      List<String> offending = sources.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> {
            String text = read(file);
            return text.contains("import picocli") || text.toLowerCase(Locale.ROOT).contains("tshark")
                || text.toLowerCase(Locale.ROOT).contains("chromium");
          })
          .map(Path::toString)
          .toList();

      assertThat(offending).as("lab sources naming picocli, tshark or Chromium (they belong in cli)").isEmpty();
    }
  }

  /** dnslab modules reachable from {@code start} through compile and runtime dependencies. */
  private static Set<String> runtimeClosure(String start) {
    Map<String, List<Dependency>> reactor = reactor();
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      for (Dependency d : reactor.getOrDefault(todo.pop(), List.of())) {
        if (RUNTIME_SCOPES.contains(d.scope()) && seen.add(d.artifactId())) {
          todo.push(d.artifactId());
        }
      }
    }
    return seen;
  }

  /** Each reactor module's artifactId and its dev.dnslab dependencies. */
  private static Map<String, List<Dependency>> reactor() {
    Map<String, List<Dependency>> modules = new LinkedHashMap<>();
    for (Element module : children(pom(ROOT.resolve("pom.xml")), "modules", "module")) {
      Element pom = pom(ROOT.resolve(module.getTextContent().strip()).resolve("pom.xml"));
      List<Dependency> dependencies = new ArrayList<>();
      for (Element dependency : children(pom, "dependencies", "dependency")) {
        if ("dev.dnslab".equals(text(dependency, "groupId", ""))) {
          dependencies.add(new Dependency(text(dependency, "artifactId", ""), text(dependency, "scope", "compile")));
        }
      }
      modules.put(text(pom, "artifactId", ""), dependencies);
    }
    assertThat(modules).as("reactor modules").containsKeys("dnslab-core", "dnslab-lab", "dnslab-junit");
    return modules;
  }

  private static Element pom(Path file) {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    } catch (Exception e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /** The {@code item} elements under the direct child {@code list} of {@code parent}. */
  private static List<Element> children(Element parent, String list, String item) {
    List<Element> found = new ArrayList<>();
    for (Element container : direct(parent, list)) {
      found.addAll(direct(container, item));
    }
    return found;
  }

  private static List<Element> direct(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
        found.add((Element) nodes.item(i));
      }
    }
    return found;
  }

  private static String text(Element parent, String name, String fallback) {
    List<Element> found = direct(parent, name);
    return found.isEmpty() ? fallback : found.get(0).getTextContent().strip();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
