package dev.dnslab.recursor.doh;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.server.TcpConnectionLimiter;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.transport.HttpVersionNegotiator;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.core.transport.ServerBinding;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over HTTPS (RFC 8484) on {@code https://ADDRESS/dns-query}: HTTP/2 or HTTP/1.1, chosen by
 * ALPN (RFC 7301) in core's {@link HttpVersionNegotiator}. The initializers only wire; {@link
 * DohHttpHandler} does the work. Connections are capped like DNS over TCP and TLS, by core's {@link
 * TcpConnectionLimiter}: at the cap the connection idle longest is closed to admit a new one (RFC
 * 9210 3.4, RFC 7766 6.2.3), so idle HTTP/2 connections cannot lock new clients out.
 */
public final class DohServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DohServer.class);

  /** A DNS message is at most 65535 bytes (RFC 8484 6: the same limit as TCP). */
  static final int MAX_BODY = 65535;

  private final InetSocketAddress listen;
  private final SslContext tls;
  private final DohHttpHandler handler;
  private final TcpConnectionLimiter limiter;
  private EventLoopGroup group;
  private Channel channel;

  /** At most {@code maxConnections} connections at once ({@link DnsServer#DEFAULT_MAX_TCP_CONNECTIONS}). */
  public DohServer(InetSocketAddress listen, SslContext tls, QueryProcessor processor, int maxConnections) {
    this.listen = requireNonNull(listen, "listen");
    this.tls = requireNonNull(tls, "tls");
    this.handler = new DohHttpHandler(processor);
    this.limiter = new TcpConnectionLimiter(maxConnections, processor.metrics(), Transport.HTTPS);
  }

  public synchronized DohServer start() throws BindException {
    // One loop on the portable transport: DoH here serves a classroom's browsers, not a flood.
    NettyTransport transport = NettyTransport.NIO;
    group = transport.newGroup(1);
    ChannelInitializer<Channel> http2Stream = new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel stream) {
        stream.pipeline().addLast("h2-to-http", new Http2StreamFrameToHttpObjectCodec(true));
        addExchange(stream.pipeline());
      }
    };
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("limit", limiter)
                .addLast("tls", tls.newHandler(ch.alloc()))
                .addLast("alpn", new HttpVersionNegotiator(Http2Settings.defaultSettings(), http2Stream,
                    pipeline -> addExchange(pipeline.addLast("http", new HttpServerCodec()))));
          }
        });
    try {
      channel = ServerBinding.bind(bootstrap, listen, "DoH");
    } catch (BindException e) {
      close();
      throw e;
    }
    log.info("DNS over HTTPS on https://{}:{}{}", address().getAddress().getHostAddress(), address().getPort(),
        DohHttpHandler.PATH);
    return this;
  }

  /** After HTTP/1.1's codec or an HTTP/2 stream's frame converter: whole requests to the handler. */
  private void addExchange(ChannelPipeline pipeline) {
    pipeline
        .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
        .addLast("doh", handler);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
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
