package dev.dnslab.core.zone;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the newlines dnsjava's tokenizer has consumed, so semantic errors found after a record is
 * parsed can still name its line. It extends {@link BufferedInputStream} on purpose: dnsjava's
 * Tokenizer wraps any other stream in its own buffer, whose read-ahead would make the count useless.
 */
final class LineCountingInputStream extends BufferedInputStream {
  private int newlines;

  LineCountingInputStream(InputStream in) {
    super(in);
  }

  int newlines() {
    return newlines;
  }

  @Override
  public synchronized int read() throws IOException {
    int c = super.read();
    if (c == '\n') {
      newlines++;
    }
    return c;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    for (int i = off; i < off + Math.max(n, 0); i++) {
      if (b[i] == '\n') {
        newlines++;
      }
    }
    return n;
  }
}
