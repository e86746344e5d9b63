package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class CacheChangesTest {
  private static final Name WWW = Name.fromConstantString("www.google.com.");

  @Test
  void isUnsettledFromAChangesAnnouncementUntilItIsDone() {
    CacheChanges changes = new CacheChanges();
    assertThat(changes.settled()).isEqualTo(0);

    changes.starting();
    assertThat(changes.settled()).isEqualTo(CacheChanges.UNSETTLED);
    changes.changed(WWW);
    assertThat(changes.settled()).as("the stamp moved, the change is not over").isEqualTo(CacheChanges.UNSETTLED);
    changes.done();

    assertThat(changes.settled()).isEqualTo(1).isEqualTo(changes.started());
  }

  /**
   * The interleaving {@link CacheChanges#started()} alone missed: a change announced before the
   * reader looks, the reader reads the old data, the change lands and moves the stamp, and the
   * reader reads the new stamp. The reader's check must refuse to keep what it read.
   */
  @Test
  void aReaderThatLooksWhileAChangeIsUnderWayDoesNotTakeTheNewStampForWhatItRead() {
    CacheChanges changes = new CacheChanges();
    int stripe = changes.stripe(WWW);

    changes.starting(); // a writer announces its change
    long before = changes.settled(); // the reader notes where the changes stand, then reads the old data
    changes.changed(WWW); // the writer's change lands
    changes.done();
    long stamp = changes.stamp(stripe); // the reader reads the stamp after its read

    boolean readerKeeps = changes.started() == before;
    assertThat(readerKeeps).as("kept with stamp %d, which describes the new data, not the old it read", stamp).isFalse();
  }

  @Test
  void aReaderWithNoChangeUnderWayKeepsWhatItReadUntilTheNextChange() {
    CacheChanges changes = new CacheChanges();
    changes.starting();
    changes.changed(WWW);
    changes.done();

    long before = changes.settled();
    assertThat(changes.started()).as("nothing changed while it read").isEqualTo(before);

    changes.starting();
    assertThat(changes.started()).as("a change started after it looked").isNotEqualTo(before);
  }
}
