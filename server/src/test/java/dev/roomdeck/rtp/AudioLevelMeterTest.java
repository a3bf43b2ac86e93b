package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A stream's audio level from RFC 6464: smoothed, quick to rise, slower to fall, silent when packets stop. */
class AudioLevelMeterTest {
    private static final long MS = 1_000_000L;

    @Test
    void risesWithinAFewPacketsAndFallsMoreSlowly() {
        AudioLevelMeter m = new AudioLevelMeter();
        long t = 1;
        for (int i = 0; i < 4; i++) {
            m.add(20, t += 20 * MS);
        }
        assertThat(m.minusDbov(t)).isBetween(20, 30); // four packets (80 ms) after a talker started
        m.add(127, t += 20 * MS);
        m.add(127, t += 20 * MS);
        assertThat(m.minusDbov(t)).isLessThan(60); // a pause between words is not silence yet
        for (int i = 0; i < 30; i++) {
            m.add(127, t += 20 * MS);
        }
        assertThat(m.minusDbov(t)).isGreaterThan(110);
    }

    @Test
    void aStreamThatStopsSendingIsSilent() {
        AudioLevelMeter m = new AudioLevelMeter();
        assertThat(m.minusDbov(5 * MS)).isEqualTo(AudioLevelMeter.SILENT);
        for (int i = 1; i <= 10; i++) {
            m.add(10, i * 20 * MS);
        }
        assertThat(m.minusDbov(200 * MS)).isLessThan(15);
        assertThat(m.minusDbov(200 * MS + AudioLevelMeter.STALE_NANOS + MS)).isEqualTo(AudioLevelMeter.SILENT);
    }

    @Test
    void aShortSoundBetweenTwoReadsStillCounts() {
        AudioLevelMeter m = new AudioLevelMeter();
        long t = 1;
        for (int i = 0; i < 5; i++) {
            m.add(127, t += 20 * MS);
        }
        m.takeLoudest(t);
        m.add(15, t += 20 * MS); // a 40 ms beep
        m.add(15, t += 20 * MS);
        for (int i = 0; i < 8; i++) {
            m.add(127, t += 20 * MS);
        }
        assertThat(m.minusDbov(t)).isGreaterThan(60); // quiet again now
        assertThat(m.takeLoudest(t)).isLessThanOrEqualTo(45); // but the interval had the beep: speech level
        assertThat(m.takeLoudest(t)).isGreaterThan(60); // and the next interval starts from now
    }

    @Test
    void percentIsLinearOverSeventyDecibels() {
        assertThat(AudioLevelMeter.percent(0)).isEqualTo(100);
        assertThat(AudioLevelMeter.percent(35)).isEqualTo(50);
        assertThat(AudioLevelMeter.percent(70)).isZero();
        assertThat(AudioLevelMeter.percent(127)).isZero();
    }

    @Test
    void readsTheLevelFromTheOneByteExtensionAndNothingWithoutIt() {
        byte[] p = {(byte) 0x90, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7, (byte) 0xBE, (byte) 0xDE, 0, 1,
                (byte) 0x30, (byte) (0x80 | 42), 0, 0, 9, 9};
        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(p, 0, p.length)).isTrue();
        assertThat(AudioLevelMeter.read(packet, 3)).isEqualTo(42);
        assertThat(AudioLevelMeter.read(packet, 1)).isEqualTo(-1);
        assertThat(AudioLevelMeter.read(packet, 0)).isEqualTo(-1);
    }
}
