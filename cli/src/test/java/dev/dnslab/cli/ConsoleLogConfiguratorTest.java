package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fat jar's logging, set up without logback's XML configurator. */
class ConsoleLogConfiguratorTest {
  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void giveTheContextAnMdc() {
    // Logback's own start-up does this for the context SLF4J hands out; a fresh one needs it too.
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @AfterEach
  void stopContext() {
    context.stop();
    System.clearProperty("DNSLAB_LOG_LEVEL");
    System.clearProperty("DNSLAB_QUERY_LOG");
  }

  @Test
  void isTheConfiguratorLogbackFindsAsAService() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
        .contains(ConsoleLogConfigurator.class);
  }

  @Test
  void writesTheDnslabLineLayoutToStdout() {
    ConsoleLogConfigurator.logToStdout(context);
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      context.getLogger("dev.dnslab.core.server.DnsServer").info("bound {}", "udp/127.53.0.11:53");
    } finally {
      System.setOut(stdout);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[" + Thread.currentThread().getName()
            + "] d.d.c.server.DnsServer - bound udp/127.53.0.11:53\\R");
  }

  @Test
  void sendsAccessLinesThroughTheBatchedAppenderOnly() {
    ConsoleLogConfigurator.logToStdout(context);
    ch.qos.logback.classic.Logger access = context.getLogger("dnslab.access");
    assertThat(access.iteratorForAppenders()).toIterable().singleElement().isInstanceOf(BatchedStdoutAppender.class);
    assertThat(access.isAdditive()).isFalse();
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      access.info("127.0.0.1:51234 www.google.com \"GET / HTTP/1.1\" 200");
      // Stopping the context writes what the batch holds.
      context.stop();
    } finally {
      System.setOut(stdout);
    }

    // Once, in the dnslab line layout.
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[" + Thread.currentThread().getName()
            + "] dnslab.access - 127.0.0.1:51234 www.google.com \"GET / HTTP/1.1\" 200\\R");
  }

  @Test
  void logsLifecycleAtInfoAndQuietsNetty() {
    ConsoleLogConfigurator.logToStdout(context);

    assertThat(context.getLogger("dev.dnslab.lab.EmbeddedLab").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("dnslab.query.recursor").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty.channel.DefaultChannelPipeline").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void takesLevelsFromDnslabLogLevelAndDnslabQueryLog() {
    System.setProperty("DNSLAB_LOG_LEVEL", "WARN");
    System.setProperty("DNSLAB_QUERY_LOG", "DEBUG");

    ConsoleLogConfigurator.logToStdout(context);

    assertThat(context.getLogger("dev.dnslab.lab.EmbeddedLab").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("dnslab.query.recursor").getEffectiveLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  void leavesAConfigurationFileOnTheClassPathToLogback() {
    // This module's tests carry a logback-test.xml, as a user's class path may carry a logback.xml.
    ConsoleLogConfigurator configurator = new ConsoleLogConfigurator();
    configurator.setContext(context);

    assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders()).isExhausted();
  }
}
