package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnslab.testing.Tool;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * One overlay of deploy/kubernetes as {@code kubectl kustomize} renders it (offline, no cluster),
 * each document read into fabric8's typed model for the apiVersion and kind it names.
 *
 * @param overlay the overlay's folder name, e.g. {@code unbound}
 * @param documents every rendered document as plain YAML data, in order
 * @param objects the same documents as fabric8 model objects
 */
record RenderedManifests(String overlay, List<Map<String, Object>> documents, List<HasMetadata> objects) {
  /** The overlays shipped in deploy/kubernetes/overlays: one per resolver, and the template for yours. */
  static final List<String> OVERLAYS =
      List.of("unbound", "knot-resolver", "bind", "pdns-recursor", "dnslab-recursor", "custom",
          "unbound-dnssec", "knot-resolver-dnssec", "bind-dnssec", "pdns-recursor-dnssec");

  static final ObjectMapper JSON = new ObjectMapper();

  /** Runs {@code kubectl kustomize deploy/kubernetes/overlays/<overlay>} and reads its output. */
  @SuppressWarnings("unchecked")
  static RenderedManifests render(Path projectRoot, String overlay) {
    String kubectl = Tool.KUBECTL.require();
    Path folder = projectRoot.resolve("deploy/kubernetes/overlays").resolve(overlay);
    // stdout only: kustomize prints deprecation warnings on stderr.
    CommandResult rendered = Commands.run(projectRoot, Map.of(), Duration.ofSeconds(60),
        List.of("sh", "-c", "\"$0\" kustomize \"$1\" 2>/dev/null", kubectl, folder.toString())).orFail();
    List<Map<String, Object>> documents = new ArrayList<>();
    List<HasMetadata> objects = new ArrayList<>();
    for (Object document : new Yaml(new LoaderOptions()).loadAll(rendered.output())) {
      if (document == null) {
        continue;
      }
      Map<String, Object> map = (Map<String, Object>) document;
      documents.add(map);
      KubernetesResource resource = JSON.convertValue(map, KubernetesResource.class);
      assertThat(resource).as("%s: %s/%s is a kind fabric8 knows", overlay, map.get("apiVersion"), map.get("kind"))
          .isInstanceOf(HasMetadata.class).isNotInstanceOf(GenericKubernetesResource.class);
      objects.add((HasMetadata) resource);
    }
    return new RenderedManifests(overlay, documents, objects);
  }

  /** The typed object's JSON, for comparing with the rendered document. */
  static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  Job job() {
    return objects.stream().filter(Job.class::isInstance).map(Job.class::cast).findFirst()
        .orElseThrow(() -> new AssertionError(overlay + ": no Job rendered"));
  }

  /** The rendered ConfigMap called {@code name} (with the hash kustomize appends). */
  ConfigMap configMap(String name) {
    return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .filter(c -> c.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + name));
  }
}
