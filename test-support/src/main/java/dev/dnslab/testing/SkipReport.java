package dev.dnslab.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Lists every test that did not run: aborted (a missing tool, a known deviation) or disabled. Found
 * by the JUnit Platform through {@code META-INF/services}, so it runs in every surefire and failsafe
 * JVM of every module whose tests depend on this one. At the end of each test run it prints the
 * module's skips and appends them to one file for the whole Maven build, {@code
 * target/test-skips.txt} under the reactor root; the reactor's last module prints the whole file.
 *
 * <p>The parent pom passes what a forked test JVM cannot know by itself: {@code dnslab.build} (the
 * build's start time, the same in every module, so a new build starts a new file), {@code
 * dnslab.module}, {@code dnslab.testPlugin} (surefire or failsafe), {@code dnslab.skipReport.dir}
 * and, in the last module only, {@code dnslab.skipReport.whole}.
 */
public final class SkipReport implements TestExecutionListener {
  /** The file, in {@code dnslab.skipReport.dir}. */
  public static final String FILE_NAME = "test-skips.txt";

  private static final String BUILD_HEADER = "# dnslab test skips of the build started ";

  private final List<String> skipped = new ArrayList<>();
  private TestPlan plan;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
    skipped.clear();
  }

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    add(test, "disabled: " + reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      add(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
    }
  }

  private synchronized void add(TestIdentifier test, String reason) {
    skipped.add(path(test) + ": " + oneLine(reason));
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    String module = System.getProperty("dnslab.module", Path.of("").toAbsolutePath().getFileName().toString());
    String run = module + " (" + System.getProperty("dnslab.testPlugin", "tests") + ")";
    PrintStream out = System.out;
    List<String> lines;
    synchronized (this) {
      lines = skipped.stream().map(line -> run + "  " + line).collect(Collectors.toList());
    }
    if (!lines.isEmpty()) {
      out.println("[dnslab] " + lines.size() + " skipped in " + run + ":");
      lines.forEach(line -> out.println("[dnslab]   " + line.substring(run.length() + 2)));
    }
    Optional<Path> file = reportFile();
    if (file.isEmpty()) {
      return;
    }
    try {
      List<String> whole = append(file.get(), System.getProperty("dnslab.build"), lines);
      if (Boolean.getBoolean("dnslab.skipReport.whole")) {
        out.println("[dnslab] " + whole.size() + " skipped in this build (" + file.get() + ")"
            + (whole.isEmpty() ? "" : ":"));
        whole.forEach(line -> out.println("[dnslab]   " + line));
      } else if (!lines.isEmpty()) {
        out.println("[dnslab] every skip of this build so far: " + file.get());
      }
    } catch (IOException e) {
      out.println("[dnslab] cannot write the skip report " + file.get() + ": " + e);
    }
  }

  /** Only under Maven, which names the build: a run from an IDE prints its skips and keeps no file. */
  private static Optional<Path> reportFile() {
    String dir = System.getProperty("dnslab.skipReport.dir");
    if (dir == null || dir.isBlank() || System.getProperty("dnslab.build") == null) {
      return Optional.empty();
    }
    return Optional.of(Path.of(dir, FILE_NAME));
  }

  /**
   * Appends {@code lines} under a lock (surefire and failsafe may share the file), first emptying
   * it when it belongs to an earlier build; returns every line of this build.
   */
  static List<String> append(Path file, String build, List<String> lines) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    String header = BUILD_HEADER + build;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      ByteBuffer existing = ByteBuffer.allocate((int) channel.size());
      while (existing.hasRemaining() && channel.read(existing, existing.position()) > 0) {
        // read it all
      }
      List<String> kept = new ArrayList<>(new String(existing.array(), StandardCharsets.UTF_8).lines().toList());
      if (kept.isEmpty() || !kept.get(0).equals(header)) {
        kept.clear();
        kept.add(header);
      }
      kept.addAll(lines);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      return kept.subList(1, kept.size());
    }
  }

  /** "ClassName > method() > dynamic test", the way surefire's report reads. */
  private String path(TestIdentifier test) {
    List<String> names = new ArrayList<>();
    Optional<TestIdentifier> current = Optional.of(test);
    while (current.isPresent() && current.get().getParentId().isPresent()) {
      names.add(0, current.get().getDisplayName());
      current = plan == null ? Optional.empty() : plan.getParent(current.get());
    }
    return names.isEmpty() ? test.getDisplayName() : String.join(" > ", names);
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
