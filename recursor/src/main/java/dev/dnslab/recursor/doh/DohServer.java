package dev.dnslab.recursor.doh;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.QueryProcessor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over HTTPS (RFC 8484) on {@code https://ADDRESS/dns-query}: HTTP/2 or HTTP/1.1, chosen by
 * ALPN (RFC 7301). The initializers only wire; {@link DohHttpHandler} does the work.
 */
public final class DohServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DohServer.class);

  /** A DNS message is at most 65535 bytes (RFC 8484 6: the same limit as TCP). */
  private static final int MAX_BODY = 65535;

  private final InetSocketAddress listen;
  private final SslContext tls;
  private final DohHttpHandler handler;
  private EventLoopGroup group;
  private Channel channel;

  public DohServer(InetSocketAddress listen, SslContext tls, QueryProcessor processor) {
    this.listen = requireNonNull(listen, "listen");
    this.tls = requireNonNull(tls, "tls");
    this.handler = new DohHttpHandler(processor);
  }

  public synchronized DohServer start() throws BindException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      channel = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline()
                  .addLast("tls", tls.newHandler(ch.alloc()))
                  .addLast("alpn", new HttpVersionSelector(handler));
            }
          })
          .bind(listen)
          .syncUninterruptibly()
          .channel();
    } catch (Exception e) {
      close();
      BindException bind = new BindException("cannot bind DoH " + listen.getAddress().getHostAddress() + ":"
          + listen.getPort() + ": " + e.getMessage());
      bind.initCause(e);
      throw bind;
    }
    log.info("DNS over HTTPS on https://{}:{}{}", address().getAddress().getHostAddress(), address().getPort(),
        DohHttpHandler.PATH);
    return this;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** After the TLS handshake: an HTTP/2 or an HTTP/1.1 pipeline, as the client chose by ALPN. */
  private static final class HttpVersionSelector extends ApplicationProtocolNegotiationHandler {
    private final DohHttpHandler handler;

    HttpVersionSelector(DohHttpHandler handler) {
      super(ApplicationProtocolNames.HTTP_1_1);
      this.handler = handler;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        ctx.pipeline().addLast("h2", Http2FrameCodecBuilder.forServer().build());
        ctx.pipeline().addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel stream) {
            stream.pipeline()
                .addLast("h2-to-http", new Http2StreamFrameToHttpObjectCodec(true))
                .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
                .addLast("doh", handler);
          }
        }));
      } else {
        ctx.pipeline()
            .addLast("http", new HttpServerCodec())
            .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
            .addLast("doh", handler);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
      channel = null;
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      group = null;
    }
  }
}
