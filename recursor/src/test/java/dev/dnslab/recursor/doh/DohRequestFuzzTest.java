package dev.dnslab.recursor.doh;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dnslab.core.handler.EdnsHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.wire.ResponseSizeLimit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Raw HTTP/1.1 bytes at the DoH exchange (codec, aggregator, {@link DohHttpHandler}, as {@link
 * DohServer} wires them after TLS) in an {@link EmbeddedChannel}. The invariant (RFC 8484): each
 * response the handler writes is 200 with an {@code application/dns-message} body dnsjava parses, or a 4xx; never a
 * 5xx, and nothing a client sends makes the pipeline throw. The chain behind the processor answers
 * NOERROR at once: what is fuzzed is the HTTP and DoH decoding, not the recursor.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/dnslab/recursor/doh/DohRequestFuzzTestInputs}.
 */
class DohRequestFuzzTest {
  private static final DohHttpHandler HANDLER =
      new DohHttpHandler(
          new QueryProcessor(
              HandlerChain.of(new EdnsHandler(), (request, next) ->
                  CompletableFuture.completedFuture(request.newResponse(Rcode.NOERROR))),
              new DnsMetrics(new SimpleMeterRegistry(), "fuzz"),
              ResponseSizeLimit.DEFAULT_EDNS_UDP));

  @FuzzTest
  void answersDnsMessageOrClientError(byte[] request) throws IOException {
    List<FullHttpResponse> responses = new ArrayList<>();
    EmbeddedChannel server = new LoopbackChannel();
    server.pipeline()
        .addLast("http", new HttpServerCodec())
        .addLast("aggregate", new HttpObjectAggregator(DohServer.MAX_BODY))
        .addLast("observe-responses", new ResponseObserver(responses))
        .addLast("doh", HANDLER);
    server.writeInbound(Unpooled.wrappedBuffer(request));
    server.runPendingTasks();
    server.checkException(); // nothing a client sends may make the pipeline throw
    try {
      for (FullHttpResponse response : responses) {
        int status = response.status().code();
        assertThat(status).as("status").isBetween(200, 499);
        if (status == 200) {
          assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(DohHttpHandler.MEDIA_TYPE);
          new Message(ByteBufUtil.getBytes(response.content())); // throws if it is not wire format
        }
      }
    } finally {
      responses.forEach(FullHttpResponse::release);
      server.finishAndReleaseAll();
    }
  }

  /** Keeps each response the handler writes (retained), before the codec encodes it. */
  private static final class ResponseObserver extends ChannelOutboundHandlerAdapter {
    private final List<FullHttpResponse> seen;

    ResponseObserver(List<FullHttpResponse> seen) {
      this.seen = seen;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      if (msg instanceof FullHttpResponse response) {
        seen.add(response.retainedDuplicate());
      }
      super.write(ctx, msg, promise);
    }
  }

  /** An embedded channel with the socket addresses the handler expects of a TCP connection. */
  private static final class LoopbackChannel extends EmbeddedChannel {
    @Override
    protected SocketAddress localAddress0() {
      return new InetSocketAddress("127.0.0.1", 443);
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return new InetSocketAddress("127.0.0.1", 40000);
    }
  }
}
