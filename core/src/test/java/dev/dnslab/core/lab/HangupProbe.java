package dev.dnslab.core.lab;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A JVM that traps SIGHUP as the servers do, says whether it could, and says when one arrives. */
public final class HangupProbe {
  private HangupProbe() {}

  public static void main(String[] args) throws InterruptedException {
    CountDownLatch hangup = new CountDownLatch(1);
    boolean trapped = HangupSignal.onHangup(() -> {
      System.out.println("hangup received");
      hangup.countDown();
    });
    System.out.println("trapped=" + trapped);
    // Stays up for the test's SIGHUP, long enough for a loaded machine, never forever.
    hangup.await(60, TimeUnit.SECONDS);
  }
}
