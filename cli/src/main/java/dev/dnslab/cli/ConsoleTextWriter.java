package dev.dnslab.cli;

import static java.util.Objects.requireNonNull;

import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Standard output (or error) for the command line, so that {@code dnslab visit --lang ko} shows
 * Hangul in any locale. On JDK 17 the JVM writes in the locale's charset. Under {@code LANG=C}, or
 * with no {@code LANG} at all (POSIX, common in containers and CI), that charset is US-ASCII and every
 * Korean character becomes '?'. This writer keeps the text until it is flushed and then encodes it in
 * the console's charset when that charset can encode all of the text. Otherwise (a pipe, a file, an
 * ASCII terminal) it writes UTF-8.
 */
final class ConsoleTextWriter extends Writer {
  private final OutputStream out;
  private final Charset console;
  private final StringBuilder pending = new StringBuilder();

  /**
   * @param out where the bytes go
   * @param console the console's charset, or null when the stream is not a console
   */
  ConsoleTextWriter(OutputStream out, Charset console) {
    this.out = requireNonNull(out, "out");
    this.console = console;
  }

  /** A print writer on {@code stream}, flushed at each line as picocli's own is. */
  static PrintWriter printWriter(PrintStream stream) {
    Console console = System.console();
    return new PrintWriter(new ConsoleTextWriter(stream, console == null ? null : console.charset()), true);
  }

  /** The console's charset when it can encode all of {@code text}, else UTF-8. */
  static Charset charsetFor(Charset console, CharSequence text) {
    return console != null && console.canEncode() && console.newEncoder().canEncode(text) ? console : StandardCharsets.UTF_8;
  }

  @Override
  public synchronized void write(char[] chars, int offset, int length) {
    pending.append(chars, offset, length);
  }

  @Override
  public synchronized void flush() throws IOException {
    if (pending.length() > 0) {
      out.write(pending.toString().getBytes(charsetFor(console, pending)));
      pending.setLength(0);
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
