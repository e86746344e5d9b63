package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Raw HTTP/1.1 bytes through the real connection pipeline ({@link WebPipeline}: deadline, codec,
 * gzip, aggregation, the request handler) in an {@link EmbeddedChannel}. The invariant: no file
 * outside a site folder is ever served, whatever the request line, encoding or headers, including
 * through symbolic links out of the site; no request gets a 5xx; and nothing the client sends
 * makes the pipeline throw.
 * The secret is looked for both in the bytes on the wire and in each response before gzip.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/dnslab/web/WebRequestFuzzTestInputs}.
 */
class WebRequestFuzzTest {
  private static final String SECRET = SitesWithSecrets.SECRET;
  private static final SiteCatalog SITES = SiteCatalog.load(SitesWithSecrets.create(tempRoot()));
  private static final WebMetrics METRICS = new WebMetrics(new SimpleMeterRegistry(), SITES);
  private static final WebPipeline PIPELINE = new WebPipeline(WebLimits.DEFAULTS, METRICS);
  private static final StaticSiteResponder FILES = new StaticSiteResponder(METRICS);

  static {
    // One access log line per request would cost more than the request itself while fuzzing.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dnslab.access"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }

  private static Path tempRoot() {
    try {
      return Files.createTempDirectory("dnslab-web-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  // libFuzzer dictionary syntax: escapes are written out (\\r, \\\\, \\x00) for the fuzzer to decode.
  @DictionaryEntries({
    "GET ", "HEAD ", "POST ", " HTTP/1.1\\r\\n", " HTTP/1.0\\r\\n", "Host: www.google.com\\r\\n", "\\r\\n",
    "Accept-Encoding: gzip\\r\\n", "Connection: close\\r\\n", "Content-Length: ", "Transfer-Encoding: chunked\\r\\n",
    "/", "../", "..%2f", "%2e%2e", "%2E%2E", "%252e", "%5c", "\\\\", "%00", "%c0%ae", "./", "//",
    "secret.txt", "leak.txt", "linked/", ".env", "about/", "index.html", "http://www.google.com", "?", "#"
  })
  void neverServesAFileOutsideTheSiteFolder(byte[] request) {
    StringBuilder beforeGzip = new StringBuilder();
    EmbeddedChannel channel = new LoopbackChannel();
    PIPELINE.addIdleTimeout(channel.pipeline());
    PIPELINE.addHttp1(channel.pipeline(), new WebRequestHandler(SITES, FILES, METRICS, "http", "ca"::getBytes));
    channel.pipeline().addBefore("request", "observe-responses", new ResponseObserver(beforeGzip));

    channel.writeInbound(Unpooled.wrappedBuffer(request));
    channel.runPendingTasks();
    channel.checkException(); // nothing a client sends may make the pipeline throw
    StringBuilder wire = new StringBuilder();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      ByteBuf bytes = (ByteBuf) out;
      wire.append(bytes.toString(StandardCharsets.ISO_8859_1));
      bytes.release();
    }
    channel.finishAndReleaseAll();

    assertThat(beforeGzip.toString()).doesNotContain(SECRET);
    assertThat(wire.toString()).doesNotContain(SECRET);
    // A client's mistake is a 4xx; a 5xx would be ours.
    assertThat(wire.toString()).doesNotContainPattern("HTTP/1\\.[01] 5\\d\\d");
  }

  /** Sees each response body as the request handler wrote it, before the compressor. */
  private static final class ResponseObserver extends ChannelOutboundHandlerAdapter {
    private final StringBuilder seen;

    ResponseObserver(StringBuilder seen) {
      this.seen = seen;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      if (msg instanceof ByteBufHolder holder) {
        seen.append(holder.content().toString(StandardCharsets.ISO_8859_1));
      }
      super.write(ctx, msg, promise);
    }
  }
}
