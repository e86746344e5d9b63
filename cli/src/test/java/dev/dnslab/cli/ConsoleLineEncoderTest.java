package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** The console's lines have the pattern encoder's bytes, and its layout is built only for a line that needs it. */
class ConsoleLineEncoderTest {
  private final LoggerContext context = new LoggerContext();

  private final PatternLayoutEncoder pattern = new PatternLayoutEncoder();

  private final ConsoleLineEncoder console = new ConsoleLineEncoder();

  ConsoleLineEncoderTest() {
    pattern.setContext(context);
    pattern.setPattern(ConsoleLogConfigurator.PATTERN);
    pattern.start();
    console.setContext(context);
    console.start();
  }

  private ILoggingEvent event(String logger, Level level, String message, Throwable thrown) {
    LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger(logger), level, message, thrown, null);
    event.setThreadName("multiThreadIoEventLoopGroup-2-1");
    return event;
  }

  @Test
  void writesAServersStartLinesWithoutBuildingThePatternLayout() {
    ILoggingEvent listening = event("dev.dnslab.core.server.DnsServer", Level.INFO, "listening on 127.53.0.13:53", null);
    ILoggingEvent access = event("dnslab.access", Level.INFO, "127.0.0.1:1 www.google.com \"GET / HTTP/1.1\" 200", null);

    assertThat(console.encode(listening)).isEqualTo(pattern.encode(listening));
    assertThat(console.encode(access)).isEqualTo(pattern.encode(access));
    assertThat(console.headerBytes()).isEqualTo(pattern.headerBytes());
    assertThat(console.footerBytes()).isEqualTo(pattern.footerBytes());
    assertThat(console.layoutBuilt()).isFalse();
  }

  @Test
  void buildsThePatternLayoutForALineWithAStackTrace() {
    ILoggingEvent failed =
        event("dev.dnslab.web.WebRequestHandler", Level.WARN, "failed", new IllegalStateException("no sites"));
    ILoggingEvent notAscii = event("dnslab.access", Level.INFO, "GET / \"Mozilla/5.0 (caf\u00e9)\"", null);

    byte[] line = console.encode(failed);

    assertThat(console.layoutBuilt()).isTrue();
    assertThat(new String(line)).contains("java.lang.IllegalStateException: no sites");
    assertThat(line).isEqualTo(pattern.encode(failed));
    assertThat(console.encode(notAscii)).isEqualTo(pattern.encode(notAscii));
  }
}
