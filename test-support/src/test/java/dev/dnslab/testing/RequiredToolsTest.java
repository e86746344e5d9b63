package dev.dnslab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing tool skips a test on a laptop and fails it under -Ddnslab.requireTools=true. */
class RequiredToolsTest {
  /** No machine has this program, so it is missing wherever the test runs. */
  private static final Tool NO_SUCH_TOOL = Tool.executable("dnslab-no-such-tool-3f9c1e", "dnslab-no-such-package");

  private String savedProperty;

  @BeforeEach
  void saveProperty() {
    savedProperty = System.getProperty(RequiredTools.REQUIRE_PROPERTY);
  }

  @AfterEach
  void restoreProperty() {
    if (savedProperty == null) {
      System.clearProperty(RequiredTools.REQUIRE_PROPERTY);
    } else {
      System.setProperty(RequiredTools.REQUIRE_PROPERTY, savedProperty);
    }
  }

  @Test
  void skipsNamingTheDebianPackageWhenToolsAreNotRequired() {
    System.clearProperty(RequiredTools.REQUIRE_PROPERTY);

    Throwable thrown = catchThrowable(NO_SUCH_TOOL::require);

    assertThat(thrown).isInstanceOf(TestAbortedException.class)
        .hasMessageStartingWith(RequiredTools.SKIP_PREFIX)
        .hasMessageContaining("dnslab-no-such-tool-3f9c1e is not installed")
        .hasMessageContaining("apt-get install dnslab-no-such-package");
  }

  @Test
  void failsNamingTheDebianPackageWhenToolsAreRequired() {
    System.setProperty(RequiredTools.REQUIRE_PROPERTY, "true");

    Throwable thrown = catchThrowable(NO_SUCH_TOOL::require);

    assertThat(thrown).isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("apt-get install dnslab-no-such-package")
        .hasMessageContaining("-Ddnslab.requireTools=true");
  }

  @Test
  void failsForAMissingPrerequisiteThatNoToolNamesWhenRequired() {
    System.setProperty(RequiredTools.REQUIRE_PROPERTY, "true");

    Throwable thrown = catchThrowable(() -> RequiredTools.require(false, "dnslab/none:dev is not built"));

    assertThat(thrown).isInstanceOf(AssertionFailedError.class).hasMessageStartingWith("dnslab/none:dev is not built");
  }

  @Test
  void returnsThePathOfAnInstalledProgram() {
    // sh is on every machine that can run the build at all.
    Tool shell = Tool.executable("sh", "dash");

    assertThat(shell.isPresent()).isTrue();
    assertThat(Path.of(shell.require())).isExecutable();
  }

  @Test
  void startsTheReportAfreshForANewBuildAndKeepsTheLinesOfTheSame(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(SkipReport.FILE_NAME);
    SkipReport.append(file, "build-1", List.of("old (surefire)  A: missing tool: x"));

    SkipReport.append(file, "build-2", List.of("core (surefire)  B: missing tool: y"));
    List<String> whole = SkipReport.append(file, "build-2", List.of("lab (failsafe)  C: disabled: z"));

    assertThat(whole).containsExactly("core (surefire)  B: missing tool: y", "lab (failsafe)  C: disabled: z");
    assertThat(Files.readAllLines(file)).hasSize(3).first().asString().endsWith("build-2");
  }
}
