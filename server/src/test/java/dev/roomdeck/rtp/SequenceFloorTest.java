package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A run of sequence numbers (a simulcast layer since the switch to it, a stream since it was unmuted) lasts any
 * number of packets, across every 16-bit wrap, and a packet from before the run stays outside it.
 */
class SequenceFloorTest {
    @Test
    void aRunOfAnyLengthStaysInsideAcrossWraps() {
        SequenceFloor run = new SequenceFloor();
        run.start(65000);
        for (int i = 0; i < 200_000; i++) { // three wraps: a speaker's top layer for over 20 minutes
            int seq = (65000 + i) & 0xFFFF;
            assertThat(run.admit(seq)).as("packet %d of the run", i).isTrue();
        }
        int newest = (65000 + 199_999) & 0xFFFF;
        assertThat(run.covers((newest - 500) & 0xFFFF)).as("a NACK for a recent packet").isTrue();
        assertThat(run.admit((newest - 30) & 0xFFFF)).as("a reordered packet").isTrue();
    }

    @Test
    void aPacketFromBeforeTheRunIsOutside() {
        SequenceFloor run = new SequenceFloor();
        run.start(10);
        assertThat(run.admit(9)).isFalse();
        assertThat(run.admit(65530)).as("before the run, across the wrap").isFalse();
        assertThat(run.admit(10)).isTrue();
        assertThat(run.admit(11)).isTrue();
        assertThat(run.covers(9)).isFalse();
    }

    @Test
    void longAfterTheStartWhatIsFarBehindTheNewestIsOutside() {
        SequenceFloor run = new SequenceFloor();
        run.start(0);
        for (int seq = 0; seq <= 40_000; seq++) {
            run.admit(seq);
        }
        assertThat(run.covers(0)).as("40,000 packets back: from another time").isFalse();
        assertThat(run.covers(40_000 - SequenceFloor.TRAIL)).isTrue();
    }

    @Test
    void aClearedFloorAdmitsNothing() {
        SequenceFloor run = new SequenceFloor();
        assertThat(run.isSet()).isFalse();
        assertThat(run.covers(0)).isFalse();
        run.start(5);
        run.clear();
        assertThat(run.admit(6)).isFalse();
    }
}
