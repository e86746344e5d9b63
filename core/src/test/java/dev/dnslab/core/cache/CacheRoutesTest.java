package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.admin.AdminServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/** The cache's admin paths over a real admin server: dumps are rendered off its loop, flushes answer at once. */
class CacheRoutesTest {
  private final RecordCache cache = new RecordCache(100, TtlLimits.DEFAULT, () -> 0L,
      new CacheMetrics(new SimpleMeterRegistry(), "router"));
  /** The threads each dump ran on: the executor's own, never the admin server's event loop. */
  private final List<String> dumpThreads = new CopyOnWriteArrayList<>();
  private final Executor dumps = task -> {
    Thread thread = new Thread(() -> {
      dumpThreads.add(Thread.currentThread().getName());
      task.run();
    }, "cache-dump-test");
    thread.start();
  };

  @Test
  void dumpsAreRenderedOffTheAdminLoopInBothFormats() throws Exception {
    cache.putPositive(new RRset(new ARecord(Name.fromString("www.google.com."), DClass.IN, 300,
        InetAddress.getByName("142.250.196.100"))), CacheRank.ANSWER, Name.root);
    try (AdminServer admin = new CacheRoutes(cache, CacheFlushListener.NONE, dumps)
        .addTo(AdminServer.builder().listen(new InetSocketAddress("127.0.0.1", 0)))
        .build()
        .start()) {
      HttpResponse<String> json = send(admin, "/cache", "GET");
      HttpResponse<String> text = send(admin, "/cache?format=text", "GET");
      HttpResponse<String> flush = send(admin, "/cache/flush", "POST");

      assertThat(json.statusCode()).isEqualTo(200);
      assertThat(json.body()).contains("\"name\" : \"www.google.com.\"");
      assertThat(text.body()).contains("www.google.com.", "142.250.196.100");
      assertThat(flush.body()).contains("\"flushed\" : \"all\"");
      assertThat(dumpThreads).containsExactly("cache-dump-test", "cache-dump-test");
      assertThat(cache.size()).isZero();
    }
  }

  private static HttpResponse<String> send(AdminServer admin, String path, String method) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
