package dev.dnslab.cli;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.Charset;

/**
 * The console's encoder: the bytes of {@link ConsoleLogConfigurator#PATTERN}, made directly by
 * {@link ConsolePatternBytes} where it can, else by logback's {@link PatternLayoutEncoder} of that
 * pattern, which is built the first time a line needs it (a stack trace, text that is not ASCII).
 *
 * <p>Why not the pattern encoder alone: building its layout loads logback's whole converter
 * catalogue (PatternLayout registers a supplier for every conversion word, ~150 classes and lambdas
 * of which the pattern uses five), resident in every role JVM for lines an idle role never writes.
 */
final class ConsoleLineEncoder extends EncoderBase<ILoggingEvent> {
  /** What the pattern encoder writes first and last: its layout's headers and footers, none here. */
  private static final byte[] NOTHING = new byte[0];

  /** Null when the platform's charset is not ASCII-compatible: then every line goes to the layout. */
  private final ConsolePatternBytes direct = ConsolePatternBytes.forCharset(Charset.defaultCharset());

  /** Built on first need; guarded by this. */
  private PatternLayoutEncoder layout;

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    byte[] line = direct != null ? direct.encode(event) : null;
    return line != null ? line : layout().encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  /** Its lines made directly, for an appender that batches them; null when every line needs the layout. */
  ConsolePatternBytes direct() {
    return direct;
  }

  /** Whether a line has needed the pattern layout yet. */
  synchronized boolean layoutBuilt() {
    return layout != null;
  }

  private synchronized PatternLayoutEncoder layout() {
    if (layout == null) {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(getContext());
      encoder.setPattern(ConsoleLogConfigurator.PATTERN);
      encoder.start();
      layout = encoder;
    }
    return layout;
  }

  @Override
  public void stop() {
    synchronized (this) {
      if (layout != null) {
        layout.stop();
      }
    }
    super.stop();
  }
}
