package dev.dnslab.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Built when first asked for, once, whichever connections ask at the same time; a failed build is tried again. */
class BuiltOnFirstUseTest {
  @Test
  void buildsNothingUntilAskedThenOnceForEveryCaller() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    BuiltOnFirstUse<String> context = new BuiltOnFirstUse<>(() -> {
      builds.incrementAndGet();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "context-" + builds.get();
    });
    assertThat(builds).hasValue(0);
    assertThat(context.isBuilt()).isFalse();

    ExecutorService loops = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> asked = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        asked.add(loops.submit(context::get));
      }
      release.countDown();
      for (Future<String> each : asked) {
        assertThat(each.get(5, TimeUnit.SECONDS)).isEqualTo("context-1");
      }
    } finally {
      loops.shutdownNow();
    }
    assertThat(builds).hasValue(1);
    assertThat(context.isBuilt()).isTrue();
  }

  @Test
  void triesAFailedBuildAgainAtTheNextRequest() {
    AtomicInteger attempts = new AtomicInteger();
    BuiltOnFirstUse<String> context = new BuiltOnFirstUse<>(() -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("cannot build a TLS server context");
      }
      return "context";
    });

    assertThatThrownBy(context::get).isInstanceOf(IllegalStateException.class);
    assertThat(context.isBuilt()).isFalse();
    assertThat(context.get()).isEqualTo("context");
    assertThat(attempts).hasValue(2);
  }
}
