package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnslab.core.dnssec.TrustAnchorFiles;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.zone.RootHints;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes as {@code kubectl kustomize} renders each overlay, read with fabric8's
 * Kubernetes model: every object well-formed for the API version it names, and the Job the pod
 * composition that {@link KubernetesPodIT} runs with Docker (one lab world per pod, hardened).
 */
class KubernetesManifestsTest {
  private static final Path ROOT = DockerEngine.projectRoot();

  /** YAML's 1800 is an int, the model's activeDeadlineSeconds a long: equal when the values are. */
  private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
      ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

  static List<String> overlays() {
    return RenderedManifests.OVERLAYS;
  }

  @Test
  void listsEveryOverlayShipped() throws IOException {
    try (Stream<Path> folders = Files.list(ROOT.resolve("deploy/kubernetes/overlays"))) {
      assertThat(folders.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(RenderedManifests.OVERLAYS);
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void rendersOnlyObjectsWellFormedForTheirApiVersion(String overlay) {
    RenderedManifests rendered = RenderedManifests.render(ROOT, overlay);
    // The Job, and ConfigMaps: run, root hints, and the resolver's config unless it needs none.
    assertThat(rendered.objects()).extracting(o -> o.getApiVersion() + " " + o.getKind())
        .containsOnly("v1 ConfigMap", "batch/v1 Job")
        .hasSize(overlay.startsWith("dnslab-recursor") ? 3 : 4)
        .filteredOn("batch/v1 Job"::equals).hasSize(1);
    for (int i = 0; i < rendered.objects().size(); i++) {
      HasMetadata object = rendered.objects().get(i);
      // Typed and back: a value of the wrong type or a misplaced field would not survive.
      JsonNode written = RenderedManifests.JSON.valueToTree(rendered.documents().get(i));
      assertThat(RenderedManifests.tree(object).equals(NUMBERS_BY_VALUE, written))
          .as("%s: %s round trip\nrendered %s\ntyped    %s", overlay, object.getKind(), written,
              RenderedManifests.tree(object)).isTrue();
      assertThat(unknownFields(object, "")).as("%s: fields the %s %s schema does not have", overlay,
          object.getApiVersion(), object.getKind()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void runsOneLabWorldPerIndexedPod(String overlay) throws IOException {
    RenderedManifests rendered = RenderedManifests.render(ROOT, overlay);
    JobSpec job = rendered.job().getSpec();
    PodSpec pod = job.getTemplate().getSpec();
    List<String> scenarios = rendered.configMap(configMapOf(pod, "run")).getData().get("scenarios").lines().toList();
    assertThat(scenarios).as("the scenario list is scenarios/*.yaml, the dnssec-* ones in a DNSSEC Job")
        .containsExactlyElementsOf(shippedScenarios(isDnssecJob(overlay)));
    assertThat(job.getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getCompletions()).as("one index per scenario").isEqualTo(scenarios.size());
    assertThat(job.getParallelism()).isPositive();
    assertThat(job.getActiveDeadlineSeconds()).isPositive();
    assertThat(job.getBackoffLimitPerIndex()).isZero();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    // The lab and the resolver are native sidecars that start in this order; the judge decides.
    assertThat(pod.getInitContainers()).extracting(Container::getName, Container::getRestartPolicy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("lab", "Always"),
            org.assertj.core.groups.Tuple.tuple("resolver", "Always"));
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("judge");
    assertThat(pod.getInitContainers().get(0).getStartupProbe().getExec().getCommand())
        .as("the lab is up once its root answers (docker/health.sh)").contains("/opt/dnslab/health");
    assertThat(rendered.configMap(configMapOf(pod, "root-hints")).getData().get("root.hints"))
        .as("the hints `dnslab root-hints` prints").isEqualTo(RootHints.labFile(AddressPlan.EMBEDDED));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void judgesDnssecJobsAsValidatingWithTheAnchorTheLabWrites(String overlay) throws IOException {
    RenderedManifests rendered = RenderedManifests.render(ROOT, overlay);
    PodSpec pod = rendered.job().getSpec().getTemplate().getSpec();
    Map<String, String> run = rendered.configMap(configMapOf(pod, "run")).getData();
    Container lab = pod.getInitContainers().get(0);
    Container resolver = pod.getInitContainers().get(1);
    assertThat(pod.getContainers().get(0).getCommand()).anySatisfy(c -> assertThat(c).contains("$CHECK_FLAGS"));
    assertThat(lab.getVolumeMounts()).as("the lab writes its keys and anchor here")
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(LAB_STATE));
    if (!isDnssecJob(overlay)) {
      assertThat(run.get("check-flags")).isEmpty();
      assertThat(resolver.getVolumeMounts()).noneMatch(m -> m.getMountPath().equals(LAB_STATE));
      return;
    }
    assertThat(run.get("check-flags")).isEqualTo("--validating");
    assertThat(resolver.getVolumeMounts()).as("the lab's state, read-only, in the resolver")
        .anySatisfy(m -> {
          assertThat(m.getMountPath()).isEqualTo(LAB_STATE);
          assertThat(m.getReadOnly()).isTrue();
          assertThat(m.getName()).isEqualTo(lab.getVolumeMounts().stream()
              .filter(l -> l.getMountPath().equals(LAB_STATE)).findFirst().orElseThrow().getName());
        });
    // The resolver's config names an anchor file the lab writes (core's TrustAnchorFiles).
    String config = String.join("\n", rendered.configMap(configMapOf(pod, "resolver-config")).getData().values());
    List<String> named = java.util.regex.Pattern.compile(LAB_STATE + "/([\\w.-]+)").matcher(config).results()
        .map(m -> m.group(1)).toList();
    assertThat(named).as("anchor files in %s's config", overlay).isNotEmpty()
        .allSatisfy(f -> assertThat(f).isIn(TrustAnchorFiles.DS_FILE, TrustAnchorFiles.BIND_FILE,
            TrustAnchorFiles.POWERDNS_FILE));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void hardensEveryContainer(String overlay) {
    PodSpec pod = RenderedManifests.render(ROOT, overlay).job().getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    for (Container container : allContainers(pod)) {
      String name = overlay + "/" + container.getName();
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
      assertThat(container.getSecurityContext().getCapabilities().getAdd()).as(name).isNullOrEmpty();
      assertThat(container.getSecurityContext().getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
      assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
      assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
      assertThat(container.getImage()).as(name + ": pinned by tag").matches(".+:[^:/]+").doesNotEndWith(":latest");
      assertThat(container.getCommand()).as(name).isNotEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void mountsOnlyVolumesAndConfigMapsThatExist(String overlay) {
    RenderedManifests rendered = RenderedManifests.render(ROOT, overlay);
    PodSpec pod = rendered.job().getSpec().getTemplate().getSpec();
    Set<String> volumes = pod.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
    for (Container container : allContainers(pod)) {
      container.getVolumeMounts().forEach(m -> assertThat(volumes).as(overlay + "/" + container.getName()).contains(m.getName()));
      container.getEnv().stream().filter(e -> e.getValueFrom() != null).forEach(e ->
          assertThat(rendered.configMap(e.getValueFrom().getConfigMapKeyRef().getName()).getData())
              .containsKey(e.getValueFrom().getConfigMapKeyRef().getKey()));
    }
    pod.getVolumes().stream().filter(v -> v.getConfigMap() != null)
        .forEach(v -> assertThat(rendered.configMap(v.getConfigMap().getName())).isNotNull());
  }

  static List<Container> allContainers(PodSpec pod) {
    List<Container> all = new ArrayList<>(pod.getInitContainers());
    all.addAll(pod.getContainers());
    return all;
  }

  /** The ConfigMap behind the pod's volume {@code volume}. */
  static String configMapOf(PodSpec pod, String volume) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + volume)).getConfigMap().getName();
  }

  /** Where the lab container keeps its DNSSEC keys and writes its trust anchor. */
  private static final String LAB_STATE = "/var/lib/dnslab";

  /** An overlay that runs the DNSSEC scenarios against a validating resolver (components/dnssec). */
  static boolean isDnssecJob(String overlay) {
    return overlay.endsWith("-dnssec");
  }

  /**
   * The scenarios a Job runs: the DNSSEC scenarios ({@code dnssec-*}), whose checks hold a
   * validating resolver with the lab's trust anchor, in a DNSSEC Job; every other one otherwise.
   */
  private static List<String> shippedScenarios(boolean dnssec) throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("scenarios"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .filter(n -> n.startsWith("dnssec-") == dnssec)
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
    }
  }

  /**
   * Every field the model did not know, anywhere in {@code value}: fabric8 keeps those in each
   * object's additionalProperties instead of failing, so a typo ({@code readOnlyRootFileSystem})
   * would otherwise pass.
   */
  private static List<String> unknownFields(Object value, String path) {
    return unknownFields(value, path, new IdentityHashMap<>());
  }

  private static List<String> unknownFields(Object value, String path, Map<Object, Boolean> seen) {
    List<String> unknown = new ArrayList<>();
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return unknown;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknown.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
      }
      return unknown;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknown.addAll(unknownFields(v, path + "." + k, seen)));
      return unknown;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return unknown;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
        continue;
      }
      try {
        Object field = getter.invoke(value);
        if (getter.getName().equals("getAdditionalProperties")) {
          if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
            unknown.add(path + " " + extra.keySet());
          }
        } else {
          unknown.addAll(unknownFields(field, path + "." + getter.getName().substring(3), seen));
        }
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("cannot read " + getter, e);
      }
    }
    return unknown;
  }
}
