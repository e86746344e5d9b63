package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The buffers one UDP socket writes its at-once answers into ({@link QueryProcessor#answerAtOnce}):
 * a ring of {@code slots} direct buffers of {@code slotBytes}, each taken from the pool once and
 * handed out again once its last answer has been sent, instead of a pooled buffer taken and given
 * back per answer. Any other buffer, and an answer that is larger or whose slot is still in use,
 * comes from {@code pool} as before.
 *
 * <p>Why: under the authorities' UDP load the pooled allocator's round trip per answer (its thread
 * cache's queue, the buffer object's recycler, the chunk's pinned-memory count, each way) cost
 * ~0.27 us of user time per answer (async-profiler, 60k qps, 2026-12-06), a sixth of the event
 * loop's. A slot costs a reference count up when it is handed out and down when the socket has sent
 * it.
 *
 * <p>How a slot is known to be free: this ring keeps one reference to each slot buffer and hands it
 * out with a second; whoever sends the answer releases that one (Netty, once the datagram has left
 * or failed), so a slot whose count is back to one is nobody else's. The ring is sized to the
 * answers a socket holds back before a flush ({@link UdpQueryHandler}), and each flush starts it
 * again at its first slot ({@link #rewind}), so in a steady flow the slot next in turn has been
 * sent; one still queued (the socket's send buffer full) is skipped for a pooled buffer, never
 * waited for. A slot is never more than {@code slotBytes} when handed out: one that grew under
 * an answer written past its end is given back for a new one. Used on the socket's event loop only.
 */
final class ReusedAnswerBuffers extends AbstractByteBufAllocator {
  private final ByteBufAllocator pool;
  private final ByteBuf[] slots;
  private final int slotBytes;
  private int next;

  ReusedAnswerBuffers(ByteBufAllocator pool, int slots, int slotBytes) {
    super(true);
    this.pool = requireNonNull(pool, "pool");
    if (slots < 1) {
      throw new IllegalArgumentException("slots: " + slots + " (expected: >= 1)");
    }
    if (slotBytes < 1) {
      throw new IllegalArgumentException("slotBytes: " + slotBytes + " (expected: >= 1)");
    }
    this.slots = new ByteBuf[slots];
    this.slotBytes = slotBytes;
  }

  /** The slot next in turn when it is free and large enough, else a buffer from the pool. */
  @Override
  public ByteBuf ioBuffer(int initialCapacity) {
    if (initialCapacity > slotBytes) {
      return pool.ioBuffer(initialCapacity);
    }
    int at = next;
    next = at + 1 == slots.length ? 0 : at + 1;
    ByteBuf slot = slots[at];
    if (slot == null) {
      // Taken at first use: a socket that never answers at once holds no slot.
      slot = slots[at] = pool.directBuffer(slotBytes);
    } else if (slot.refCnt() != 1) {
      return pool.ioBuffer(initialCapacity);
    } else if (slot.capacity() > slotBytes) {
      // Its last answer was written past its end, and Netty grew it: give that memory back rather
      // than hold it for every answer to come (the at-once answers ask for their exact length,
      // so none does today; this is the bound should one ever not).
      slot.release();
      slot = slots[at] = pool.directBuffer(slotBytes);
    }
    return slot.retain().clear();
  }

  /**
   * The next answer takes the first slot again: called once the answers held back have been
   * flushed, whose slots are then free (sent) unless the socket's send buffer is full. Why: a
   * wake-up at tens of thousands of queries a second brings 8-12 datagrams, so starting each batch
   * at the first slot keeps its answers in the same few buffers, warm in the core's cache, rather
   * than walking all of them in turn.
   */
  void rewind() {
    next = 0;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return pool.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return pool.directBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return pool.isDirectBufferPooled();
  }

  /**
   * Gives this ring's references back: a slot no answer holds returns to the pool now, one still
   * queued when its last holder releases it. The ring must not be used afterwards.
   */
  void release() {
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != null) {
        slots[i].release();
        slots[i] = null;
      }
    }
  }
}
