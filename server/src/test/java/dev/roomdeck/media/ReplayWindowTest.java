package dev.roomdeck.media;

import static dev.roomdeck.media.ReplayWindow.DUPLICATE;
import static dev.roomdeck.media.ReplayWindow.FRESH;
import static dev.roomdeck.media.ReplayWindow.TOO_OLD;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which sequence numbers of a stream may still be used: each once, late ones too, within 1,024 packets. */
class ReplayWindowTest {
    private static ReplayWindow receivedUpTo(int first, int last) {
        ReplayWindow w = new ReplayWindow();
        for (int s = first; s != ((last + 1) & 0xFFFF); s = (s + 1) & 0xFFFF) {
            assertThat(w.admit(s)).as("first time of %d", s).isTrue();
        }
        return w;
    }

    @Test
    void eachNumberIsUsedOnce() {
        ReplayWindow w = receivedUpTo(1000, 1100);
        assertThat(w.check(1100)).isEqualTo(DUPLICATE);
        assertThat(w.check(1050)).isEqualTo(DUPLICATE);
        assertThat(w.check(1101)).isEqualTo(FRESH);
        assertThat(w.admit(1101)).isTrue();
        assertThat(w.admit(1101)).isFalse();
    }

    @Test
    void aLateRepairIsWelcomeWhereJitsiSrtpsSixtyFourPacketWindowRefusedIt() {
        // 1.5 Mbps video is ~150 packets a second: a repair 400 ms late is ~60 packets behind, a slow one 500.
        ReplayWindow w = new ReplayWindow();
        w.admit(2000);
        for (int s = 2002; s <= 2600; s++) {
            w.admit(s); // 2001 lost on the way
        }
        assertThat(w.check(2001)).as("600 packets late, never seen").isEqualTo(FRESH);
        assertThat(w.admit(2001)).isTrue();
        assertThat(w.check(2001)).as("and only once").isEqualTo(DUPLICATE);
    }

    @Test
    void beyondTheWindowNothingCanBeTold() {
        ReplayWindow w = receivedUpTo(0, 3000);
        assertThat(ReplayWindow.SIZE).isEqualTo(1024);
        assertThat(w.check(3000 - 1023)).isEqualTo(DUPLICATE);
        assertThat(w.check(3000 - 1024)).isEqualTo(TOO_OLD);
        assertThat(w.admit(3000 - 1024)).isFalse();
    }

    @Test
    void checkingDoesNotRecord() {
        // SRTP checks before authenticating and records only after: a forged copy cannot block the real packet.
        ReplayWindow w = receivedUpTo(10, 20);
        assertThat(w.check(25)).isEqualTo(FRESH);
        assertThat(w.check(25)).isEqualTo(FRESH);
        w.accept(25);
        assertThat(w.check(25)).isEqualTo(DUPLICATE);
        assertThat(w.check(22)).as("skipped over, still to come").isEqualTo(FRESH);
    }

    @Test
    void theWrapFrom65535To0IsJustTheNextNumber() {
        ReplayWindow w = receivedUpTo(65000, 65535);
        assertThat(w.check(0)).isEqualTo(FRESH);
        w.accept(0);
        w.accept(2); // 1 lost
        assertThat(w.check(65535)).isEqualTo(DUPLICATE);
        assertThat(w.check(65000)).isEqualTo(DUPLICATE);
        assertThat(w.check(1)).isEqualTo(FRESH);
        assertThat(w.check(65535 - 1021)).as("1,024 behind 2").isEqualTo(TOO_OLD);
    }

    @Test
    void aJumpAheadForgetsWhatFellOutOfTheWindow() {
        ReplayWindow w = receivedUpTo(100, 200);
        w.accept(200 + 5000);
        assertThat(w.check(200 + 4999)).isEqualTo(FRESH);
        assertThat(w.check(200 + 5000)).isEqualTo(DUPLICATE);
        assertThat(w.check(200)).isEqualTo(TOO_OLD);
        // a small step ahead clears only the numbers stepped over
        w.accept(200 + 5003);
        assertThat(w.check(200 + 5001)).isEqualTo(FRESH);
        assertThat(w.check(200 + 5000)).isEqualTo(DUPLICATE);
    }

    @Test
    void aPacketFromJustBeforeTheFirstIsStillNew() {
        ReplayWindow w = new ReplayWindow();
        w.accept(3);
        assertThat(w.check(65534)).as("reordered across the wrap before the first packet").isEqualTo(FRESH);
        w.accept(65534);
        assertThat(w.check(65534)).isEqualTo(DUPLICATE);
        assertThat(w.check(3)).isEqualTo(DUPLICATE);
    }
}
