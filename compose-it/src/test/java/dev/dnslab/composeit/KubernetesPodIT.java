package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/**
 * One pod of deploy/kubernetes, run with Docker the way a kubelet runs it: the Job's pod spec as
 * {@code kubectl kustomize} renders it (read with fabric8) becomes {@code docker run}s with the
 * same images (mapped to local builds: nothing can be pulled here), commands, environment
 * (JOB_COMPLETION_INDEX included), volumes (ConfigMaps as read-only files, emptyDirs as tmpfs or a
 * folder for the results), user, read-only root filesystem and dropped capabilities. The resolver
 * and the judge join the lab container's network namespace ({@code --network container:lab}),
 * which is what the containers of one pod share. The sidecars start in order, the resolver once
 * the lab's startupProbe passes, then the judge runs to its exit code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesPodIT {
  private static final Path ROOT = DockerEngine.projectRoot();

  /** The lab image under test: CI builds dnslab/lab:dev from this tree (scripts/build-images.sh). */
  private static final String LAB_IMAGE = System.getProperty("dnslab.labImage", "dnslab/lab:dev");

  /** The manifests' public images and the local images that stand in for them here. */
  private static final Map<String, String> LOCAL_IMAGES = Map.of(
      "dnslab/lab:dev", LAB_IMAGE,
      // Debian's Unbound 1.17 (scripts/build-images.sh --unbound-base) for the community image.
      "docker.io/klutchell/unbound:1.22.0", "dnslab/local-unbound:12");

  private static final Duration JUDGE_DEADLINE = Duration.ofMinutes(3);

  @TempDir Path work;

  @BeforeAll
  void requireDockerAndImages() {
    DockerEngine.requireAvailable();
    for (String image : LOCAL_IMAGES.values()) {
      assertThat(docker("image", "inspect", "--format", "{{.Id}}", image).succeeded())
          .as("image %s is missing: ./mvnw -B -q -pl cli -am package -DskipTests && sudo scripts/build-images.sh"
              + " && sudo scripts/build-images.sh --unbound-base", image).isTrue();
    }
  }

  static Stream<Arguments> pods() {
    return Stream.of(
        Arguments.of("unbound", "truncate"), Arguments.of("unbound", "cname-chain"), Arguments.of("unbound", "servfail"),
        Arguments.of("dnslab-recursor", "truncate"), Arguments.of("dnslab-recursor", "tcp-only"),
        Arguments.of("dnslab-recursor", "cname-chain"),
        // Validating, with the anchor the lab container wrote into the shared state folder.
        Arguments.of("unbound-dnssec", "dnssec-signed"), Arguments.of("unbound-dnssec", "dnssec-expired"));
  }

  @ParameterizedTest(name = "{0} judged on {1}")
  @MethodSource("pods")
  void judgePassesTheResolverInOnePod(String overlay, String scenario) throws Exception {
    RenderedManifests rendered = RenderedManifests.render(ROOT, overlay);
    PodSpec pod = rendered.job().getSpec().getTemplate().getSpec();
    List<String> scenarios = rendered.configMap(KubernetesManifestsTest.configMapOf(pod, "run"))
        .getData().get("scenarios").lines().toList();
    int index = scenarios.indexOf(scenario);
    assertThat(index).as("%s in the Job's scenario list", scenario).isNotNegative();

    String name = "dnslab-pod-" + overlay + "-" + index + "-" + ProcessHandle.current().pid();
    Path results = work.resolve("results");
    List<String> started = new ArrayList<>();
    try {
      Container lab = pod.getInitContainers().get(0);
      Container resolver = pod.getInitContainers().get(1);
      Container judge = pod.getContainers().get(0);
      String labName = start(rendered, pod, lab, index, name + "-lab", null, started);
      awaitStartupProbe(labName, lab.getStartupProbe().getExec().getCommand(), pod.getInitContainers().get(0));
      start(rendered, pod, resolver, index, name + "-resolver", labName, started);
      started.add(name + "-judge");
      CommandResult judged = Commands.runStdoutFirst(ROOT, Map.of(), JUDGE_DEADLINE,
          runCommand(rendered, pod, judge, index, name + "-judge", labName, false));
      System.out.println(docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.CPUPerc}}",
          name + "-lab", name + "-resolver").output());

      assertThat(judged.exitCode()).as("judge exit code\n%s\n-- resolver log --\n%s", judged,
          docker("logs", "--tail", "40", name + "-resolver").output()).isZero();
      String base = "TEST-dnslab-" + scenario + "-" + overlay;
      JsonNode report = RenderedManifests.JSON.readTree(Files.readString(results.resolve(base + ".json")));
      assertThat(report.get("passed").asBoolean()).isTrue();
      assertThat(report.get("scenario").asText()).isEqualTo(scenario);
      assertThat(report.get("resolver").asText()).isEqualTo(overlay);
      assertThat(report.get("address").asText()).isEqualTo("127.0.0.1:53");
      assertThat(report.get("checks")).isNotEmpty();
      Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(results.resolve(base + ".xml").toFile()).getDocumentElement();
      assertThat(suite.getTagName()).isEqualTo("testsuite");
      assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(report.get("checks").size()));
      assertThat(suite.getAttribute("failures")).isEqualTo("0");
      // The same JSON in the judge's stdout, which the gathering one-liner reads from its log.
      assertThat(judged.output().lines().filter(l -> l.startsWith("{\"report\":\"dnslab-check\"")))
          .containsExactly(report.toString());
    } finally {
      for (String container : started) {
        docker("rm", "-f", container);
      }
    }
  }

  private String start(RenderedManifests rendered, PodSpec pod, Container container, int index, String name,
      String network, List<String> started) throws IOException {
    started.add(name);
    Commands.run(ROOT, Map.of(), Duration.ofMinutes(1), runCommand(rendered, pod, container, index, name, network, true))
        .orFail();
    return name;
  }

  /** Polls the lab's startupProbe (an exec probe) as the kubelet does, until it passes. */
  private void awaitStartupProbe(String name, List<String> probe, Container lab) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(
        (long) lab.getStartupProbe().getPeriodSeconds() * lab.getStartupProbe().getFailureThreshold()).toNanos();
    List<String> exec = new ArrayList<>(List.of("exec", name));
    exec.addAll(probe);
    while (!docker(exec.toArray(String[]::new)).succeeded()) {
      assertThat(System.nanoTime() - deadline).as("lab startup probe\n%s", docker("logs", name).output()).isNegative();
      Thread.sleep(lab.getStartupProbe().getPeriodSeconds() * 1000L / 4);
    }
  }

  /** The {@code docker run} that does what the kubelet does for {@code container} of {@code pod}. */
  private List<String> runCommand(RenderedManifests rendered, PodSpec pod, Container container, int index,
      String name, String network, boolean detached) throws IOException {
    List<String> run = new ArrayList<>(List.of("docker", "run", "--name", name));
    if (detached) {
      run.add("-d");
    }
    run.addAll(List.of("--user", pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup()));
    if (Boolean.TRUE.equals(container.getSecurityContext().getReadOnlyRootFilesystem())) {
      run.add("--read-only");
    }
    container.getSecurityContext().getCapabilities().getDrop().forEach(c -> run.addAll(List.of("--cap-drop", c)));
    if (Boolean.FALSE.equals(container.getSecurityContext().getAllowPrivilegeEscalation())) {
      run.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    Quantity memory = container.getResources().getLimits().get("memory");
    run.addAll(List.of("--memory", Quantity.getAmountInBytes(memory).toBigInteger().toString()));
    if (network == null) {
      // The first container owns the pod's network namespace, and with it the pod's sysctls.
      pod.getSecurityContext().getSysctls().forEach(s -> run.addAll(List.of("--sysctl", s.getName() + "=" + s.getValue())));
    } else {
      run.addAll(List.of("--network", "container:" + network));
    }
    run.addAll(List.of("-e", "JOB_COMPLETION_INDEX=" + index));
    for (EnvVar env : container.getEnv()) {
      String value = env.getValueFrom() == null ? env.getValue()
          : rendered.configMap(env.getValueFrom().getConfigMapKeyRef().getName()).getData()
              .get(env.getValueFrom().getConfigMapKeyRef().getKey());
      run.addAll(List.of("-e", env.getName() + "=" + value));
    }
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      if (volume.getConfigMap() != null) {
        Path dir = configMapFolder(rendered.configMap(volume.getConfigMap().getName()), name + "-" + volume.getName());
        run.addAll(List.of("-v", dir + ":" + mount.getMountPath() + ":ro"));
      } else if (volume.getName().equals("results") || mountedByOthers(pod, container, volume)) {
        // One folder for every container that mounts it, as one emptyDir is for a pod's containers
        // (the lab writes its trust anchor into lab-state, a DNSSEC Job's resolver reads it).
        Path dir = openFolder(work.resolve(volume.getName()));
        run.addAll(List.of("-v", dir + ":" + mount.getMountPath() + (Boolean.TRUE.equals(mount.getReadOnly()) ? ":ro" : "")));
      } else {
        // A kubelet's emptyDir is writable by the pod's user. Docker's tmpfs over a folder that
        // exists in the image takes that folder's mode (0755, root) whatever mode= says, so the
        // tmpfs is owned by the pod's user instead.
        String size = Quantity.getAmountInBytes(volume.getEmptyDir().getSizeLimit()).toBigInteger().toString();
        run.addAll(List.of("--tmpfs", mount.getMountPath() + ":rw,exec,mode=1777,size=" + size
            + ",uid=" + pod.getSecurityContext().getRunAsUser() + ",gid=" + pod.getSecurityContext().getRunAsGroup()));
      }
    }
    run.addAll(List.of("--entrypoint", container.getCommand().get(0), LOCAL_IMAGES.getOrDefault(container.getImage(), container.getImage())));
    run.addAll(container.getCommand().subList(1, container.getCommand().size()));
    if (container.getArgs() != null) {
      run.addAll(container.getArgs());
    }
    return run;
  }

  /** A ConfigMap volume: one file per key, readable by the pod's non-root user. */
  private Path configMapFolder(ConfigMap configMap, String name) throws IOException {
    Path dir = openFolder(work.resolve(name));
    for (Map.Entry<String, String> entry : configMap.getData().entrySet()) {
      Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
    }
    return dir;
  }

  /** Whether a container of {@code pod} other than {@code container} mounts {@code volume} too. */
  private static boolean mountedByOthers(PodSpec pod, Container container, Volume volume) {
    return KubernetesManifestsTest.allContainers(pod).stream().filter(c -> !c.getName().equals(container.getName()))
        .anyMatch(c -> c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(volume.getName())));
  }

  private static Path openFolder(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private static CommandResult docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return Commands.run(ROOT, Map.of(), Duration.ofMinutes(1), command);
  }
}
