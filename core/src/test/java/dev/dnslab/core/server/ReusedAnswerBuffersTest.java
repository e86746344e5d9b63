package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket's answer buffers: a slot comes round again once its answer is sent (released by the
 * sender), empty; a slot still queued is never handed out a second time, nor is a slot to an answer
 * larger than it; one that grew under its answer is not kept; giving the ring back frees what no
 * answer holds and leaves queued answers whole.
 */
class ReusedAnswerBuffersTest {
  private final PooledByteBufAllocator pool = new PooledByteBufAllocator(true);
  private final ReusedAnswerBuffers ring = new ReusedAnswerBuffers(pool, 2, 512);

  @AfterEach
  void giveTheRingBack() {
    ring.release();
  }

  @Test
  void aSlotWhoseAnswerWasSentComesRoundAgainEmpty() {
    ByteBuf first = ring.ioBuffer(100);
    first.writeBytes(new byte[100]).readByte();
    first.release();
    ring.ioBuffer(100).release();

    ByteBuf again = ring.ioBuffer(200);

    assertThat(again).isSameAs(first);
    assertThat(again.refCnt()).isEqualTo(2);
    assertThat(again.readerIndex()).isZero();
    assertThat(again.writerIndex()).isZero();
    assertThat(again.writableBytes()).isGreaterThanOrEqualTo(200);
    again.release();
  }

  @Test
  void aRewindStartsAgainAtTheFirstSlot() {
    ReusedAnswerBuffers four = new ReusedAnswerBuffers(pool, 4, 512);
    ByteBuf first = four.ioBuffer(100);
    first.release();
    four.ioBuffer(100).release();

    four.rewind();

    ByteBuf again = four.ioBuffer(100);
    assertThat(again).isSameAs(first);
    again.release();
    four.release();
  }

  @Test
  void aSlotWhoseAnswerIsStillQueuedIsNeverHandedOutTwice() {
    ByteBuf queued = ring.ioBuffer(100).writeInt(0x12345678);
    ring.ioBuffer(100).release();

    ByteBuf next = ring.ioBuffer(100);

    assertThat(next).isNotSameAs(queued);
    next.writeInt(0);
    assertThat(queued.getInt(0)).as("the queued answer's bytes").isEqualTo(0x12345678);
    next.release();
    queued.release();
  }

  @Test
  void anAnswerLargerThanASlotTakesABufferOfItsOwn() {
    ByteBuf large = ring.ioBuffer(513);
    ByteBuf small = ring.ioBuffer(100);

    assertThat(large).isNotSameAs(small);
    assertThat(large.writableBytes()).isGreaterThanOrEqualTo(513);
    large.release();
    small.release();
    assertThat(large.refCnt()).as("not a slot: freed by its sender").isZero();
    assertThat(small.refCnt()).as("a slot: the ring still holds it").isOne();
  }

  @Test
  void aSlotThatGrewUnderItsAnswerIsGivenBackForOneOfTheSlotSize() {
    ByteBuf grown = ring.ioBuffer(100);
    grown.writeBytes(new byte[65_535]);
    grown.release();
    ring.ioBuffer(100).release();

    ByteBuf again = ring.ioBuffer(100);

    assertThat(grown.refCnt()).as("the grown buffer, back in the pool").isZero();
    assertThat(again).isNotSameAs(grown);
    assertThat(again.capacity()).isEqualTo(512);
    assertThat(again.refCnt()).isEqualTo(2);
    again.release();
  }

  @Test
  void givingTheRingBackFreesIdleSlotsAndLeavesQueuedAnswersToTheirSender() {
    ByteBuf sent = ring.ioBuffer(100);
    sent.release();
    ByteBuf queued = ring.ioBuffer(100);

    ring.release();

    assertThat(sent.refCnt()).isZero();
    assertThat(queued.refCnt()).isOne();
    queued.release();
    assertThat(queued.refCnt()).isZero();
  }
}
