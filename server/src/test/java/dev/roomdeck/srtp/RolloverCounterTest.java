package dev.roomdeck.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A sequence number's packet index (RFC 3711 3.3.1): the rollover counter guessed as in RFC 3711 Appendix A, against
 * the highest index used so far; only a used index moves that on, and only forward.
 */
class RolloverCounterTest {
    private static RolloverCounter at(long index) {
        RolloverCounter c = new RolloverCounter();
        c.update(index);
        return c;
    }

    @Test
    void beforeAnyPacketTheIndexIsTheSequenceNumber() {
        RolloverCounter c = new RolloverCounter();
        assertThat(c.index(5)).isEqualTo(5);
        assertThat(c.index(65535)).isEqualTo(65535);
        assertThat(c.rollover()).isZero();
    }

    @Test
    void inOrderTheIndexIsTheSequenceNumberInThisCycle() {
        RolloverCounter c = new RolloverCounter();
        for (int seq = 1000; seq < 1100; seq++) {
            long index = c.index(seq);
            assertThat(index).isEqualTo(seq);
            c.update(index);
        }
        assertThat(c.rollover()).isZero();
    }

    @Test
    void acrossTheWrapTheRolloverCounterGoesUp() {
        RolloverCounter c = new RolloverCounter();
        for (int i = 0; i < 20; i++) {
            int seq = (65530 + i) & 0xFFFF;
            long index = c.index(seq);
            assertThat(index).isEqualTo(65530L + i);
            c.update(index);
        }
        assertThat(c.rollover()).isEqualTo(1);
        assertThat(at(65535).index(0)).isEqualTo(65536);
    }

    @Test
    void aLatePacketFromBeforeTheWrapGetsThePreviousRolloverCounter() {
        RolloverCounter c = at(65536 + 10); // ROC 1, SEQ 10
        assertThat(c.index(65530)).isEqualTo(65530);
        assertThat(c.index(5)).isEqualTo(65536 + 5);
        assertThat(at(3 * 65536L + 100).index(40000)).isEqualTo(2 * 65536L + 40000);
    }

    @Test
    void aNumberFarAheadInTheNextCycleGetsTheNextRolloverCounter() {
        RolloverCounter c = at(40000); // in the upper half: 40000 - 32768 = 7232
        assertThat(c.index(7000)).isEqualTo(65536 + 7000);
        assertThat(c.index(7233)).isEqualTo(7233); // not ahead of the half-way mark: this cycle, behind
        assertThat(c.index(60000)).isEqualTo(60000);
    }

    @Test
    void inTheLowerHalfANumberUpToHalfACycleAheadIsThisCycle() {
        RolloverCounter c = at(65536 + 100);
        assertThat(c.index(100 + 32768)).isEqualTo(65536 + 100 + 32768);
        assertThat(c.index(100 + 32769)).isEqualTo(100 + 32769); // more than half ahead: the cycle before
    }

    @Test
    void updateOnlyMovesForward() {
        RolloverCounter c = at(2 * 65536L + 500);
        c.update(65536 + 60000);
        c.update(100);
        assertThat(c.rollover()).isEqualTo(2);
        assertThat(c.index(501)).isEqualTo(2 * 65536L + 501);
        c.update(2 * 65536L + 40000);
        assertThat(c.index(1000)).isEqualTo(3 * 65536L + 1000);
    }

    @Test
    void aNumberBeforeTheFirstCycleHasNoIndex() {
        RolloverCounter c = at(10);
        assertThat(c.index(65000)).isEqualTo(-1);
        assertThat(c.index(32778)).isEqualTo(32778); // exactly half a cycle ahead is still this cycle
        assertThat(c.index(32779)).isEqualTo(-1);
    }

    @Test
    void theFirstUsedIndexStartsTheCounterWhateverItIs() {
        RolloverCounter c = new RolloverCounter();
        c.update(0);
        assertThat(c.index(65535)).isEqualTo(-1);
        assertThat(c.index(1)).isEqualTo(1);
    }
}
