package dev.dnslab.core.server;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The read buffer of a UDP server socket: room for {@code slots} datagrams of {@code slotBytes}
 * each per read (with epoll, one recvmmsg), and another read in the same wake-up only while the
 * last one filled every slot, up to {@code maxDatagrams} datagrams a wake-up.
 *
 * <p>Why few slots: Netty's epoll recvmmsg sets up every slot on every call, however few datagrams
 * arrive (an iovec and a packet entry each, three JNI calls and a cleared address per slot), and a
 * buffer over the pooled allocator's 32 KiB thread cache comes from its arena on every read. Why
 * read again only after a full read: Netty's datagram read loop asks the handle with a "maybe more
 * data" answer that is always yes, so a handle that allows a second read would pay a recvmmsg that
 * finds nothing after every partial one. A full read is the kernel's sign that more may wait; a
 * partial one says the queue was empty. Either way nothing is lost: the socket's epoll registration
 * is level-triggered (the only mode Netty 4.2 has), so datagrams left in the queue wake the loop
 * again.
 */
final class UdpReadAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
  private final int bufferBytes;

  UdpReadAllocator(int slots, int slotBytes, int maxDatagrams) {
    // Two slots at least: with room for one datagram Netty reads by recvmsg, not recvmmsg.
    if (slots < 2) {
      throw new IllegalArgumentException("slots: " + slots + " (expected: >= 2)");
    }
    if (slotBytes < 1) {
      throw new IllegalArgumentException("slotBytes: " + slotBytes + " (expected: >= 1)");
    }
    if (maxDatagrams < slots) {
      throw new IllegalArgumentException("maxDatagrams: " + maxDatagrams + " (expected: >= slots, " + slots + ")");
    }
    // Counted in datagrams: Netty adds each read's datagrams to the handle's messages.
    maxMessagesPerRead(maxDatagrams);
    this.bufferBytes = slots * slotBytes;
  }

  @Override
  public Handle newHandle() {
    return new FullReadsContinue();
  }

  /** One per channel, used on its event loop only. */
  private final class FullReadsContinue extends MaxMessageHandle {
    /** Netty reports n datagrams read as n * slotBytes, of slots * slotBytes attempted. */
    private final UncheckedBooleanSupplier lastReadFilledEverySlot = () -> lastBytesRead() == attemptedBytesRead();

    @Override
    public int guess() {
      return bufferBytes;
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier ignoredMaybeMoreData) {
      return super.continueReading(lastReadFilledEverySlot);
    }
  }
}
