package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.UncheckedBooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Driven as Netty's epoll datagram read drives it (a recvmmsg of n datagrams reported as n * slot
 * bytes of slots * slot bytes attempted, and the loop asking with an always-true "maybe more"): a
 * wake-up reads again only after a read that filled every slot, and stops at its datagram cap.
 */
class UdpReadAllocatorTest {
  private static final int SLOT = 4096;

  /** One wake-up of a socket's read loop. */
  private static final class WakeUp {
    private final RecvByteBufAllocator.ExtendedHandle handle;

    WakeUp(UdpReadAllocator allocator) {
      handle = (RecvByteBufAllocator.ExtendedHandle) allocator.newHandle();
      handle.reset(new EmbeddedChannel().config());
    }

    int offeredSlots() {
      ByteBuf buffer = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
      try {
        return buffer.writableBytes() / SLOT;
      } finally {
        buffer.release();
      }
    }

    /** A read that brought {@code datagrams}; whether the loop reads again in this wake-up. */
    boolean read(int datagrams) {
      handle.attemptedBytesRead(offeredSlots() * SLOT);
      handle.lastBytesRead(datagrams * SLOT);
      handle.incMessagesRead(datagrams);
      return handle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER);
    }
  }

  @Test
  void eachReadOffersTheSlotsItWasGiven() {
    assertThat(new WakeUp(new UdpReadAllocator(8, SLOT, 64)).offeredSlots()).isEqualTo(8);
  }

  @Test
  void aReadThatFilledEverySlotIsFollowedByAnotherInTheSameWakeUp() {
    assertThat(new WakeUp(new UdpReadAllocator(8, SLOT, 64)).read(8)).isTrue();
  }

  @Test
  void aReadThatLeftASlotEmptyEndsTheWakeUp() {
    assertThat(new WakeUp(new UdpReadAllocator(8, SLOT, 64)).read(7)).isFalse();
  }

  @Test
  void aWakeUpStopsAtItsDatagramCapEvenAfterFullReads() {
    WakeUp wakeUp = new WakeUp(new UdpReadAllocator(8, SLOT, 24));
    assertThat(wakeUp.read(8)).isTrue();
    assertThat(wakeUp.read(8)).isTrue();
    assertThat(wakeUp.read(8)).isFalse();
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new UdpReadAllocator(1, SLOT, 64)).hasMessage("slots: 1 (expected: >= 2)");
    assertThatThrownBy(() -> new UdpReadAllocator(8, 0, 64)).hasMessage("slotBytes: 0 (expected: >= 1)");
    assertThatThrownBy(() -> new UdpReadAllocator(8, SLOT, 4)).hasMessage("maxDatagrams: 4 (expected: >= slots, 8)");
  }
}
