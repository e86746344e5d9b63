package dev.dnslab.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminResponseTest {
  /**
   * Made by ObjectMapper's constructor, with most of Jackson's ~380 classes; the verifier may load
   * ObjectMapper itself (and its few interfaces) with AdminResponse, so that name tells nothing.
   */
  private static final String MADE_BY_A_MAPPER = "com.fasterxml.jackson.databind.SerializationConfig";

  @Test
  void servesJsonIndented() {
    AdminResponse response = AdminResponse.json(Map.of("zone", "example.org."));

    assertThat(response.contentType()).isEqualTo(AdminResponse.JSON);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\n  \"zone\" : \"example.org.\"\n}");
  }

  @Test
  void loadsJacksonOnlyForTheFirstJsonAnswer() throws Exception {
    // A class loader of its own, so what this JVM's other tests loaded does not count.
    try (IsolatedLoader loader = new IsolatedLoader()) {
      Class<?> responses = loader.loadClass(AdminResponse.class.getName());

      responses.getMethod("text", int.class, String.class).invoke(null, 200, "ok");
      assertThat(loader.loaded(MADE_BY_A_MAPPER)).as("after a text answer").isFalse();

      Method json = responses.getMethod("json", Object.class);
      json.invoke(null, Map.of("ok", true));
      assertThat(loader.loaded(MADE_BY_A_MAPPER)).as("after a JSON answer").isTrue();
    }
  }

  private static final class IsolatedLoader extends URLClassLoader {
    IsolatedLoader() {
      super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    boolean loaded(String name) {
      return findLoadedClass(name) != null;
    }

    private static URL[] classPath() {
      return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
          .map(path -> {
            try {
              return new File(path).toURI().toURL();
            } catch (java.net.MalformedURLException e) {
              throw new IllegalStateException(e);
            }
          })
          .toArray(URL[]::new);
    }
  }
}
