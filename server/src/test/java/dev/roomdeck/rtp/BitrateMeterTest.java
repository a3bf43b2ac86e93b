package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A 1 s sliding-window bitrate meter over the last 10 complete 100 ms buckets. */
class BitrateMeterTest {
    private static final long MS = 1_000_000L;

    @Test
    void readsASteady500kbpsFeedWithinTwoPercentAtAnyPhase() {
        BitrateMeter m = new BitrateMeter();
        long t0 = 123_456_789L; // not aligned to a bucket
        int readings = 0;
        // 1250-byte packets every 20 ms = 62 500 B/s = 500 kbps; read at 7 phases between packets after 1.2 s
        for (long t = t0; t < t0 + 3_000 * MS; t += 20 * MS) {
            m.add(1250, t);
            if (t - t0 < 1_200 * MS) continue;
            for (long now = t; now < t + 20 * MS; now += 3 * MS) {
                assertThat(m.bitsPerSecond(now)).isBetween(490_000L, 510_000L);
                readings++;
            }
        }
        assertThat(readings).isGreaterThan(500);
        assertThat(m.totalBytes()).isEqualTo(150 * 1250);
        assertThat(m.totalPackets()).isEqualTo(150);
    }

    @Test
    void interleavedReadsFollowTheFeed() {
        BitrateMeter m = new BitrateMeter();
        long t = 5 * MS;
        for (int i = 0; i < 500; i++, t += 10 * MS) {
            m.add(625, t); // 62 500 B/s
            if (i > 120) assertThat(m.bitsPerSecond(t)).as("at packet %d", i).isBetween(490_000L, 510_000L);
        }
    }

    @Test
    void startsAtZeroMeasuresEarlyAndDecaysToZeroAfterSilence() {
        BitrateMeter m = new BitrateMeter();
        assertThat(m.bitsPerSecond(1000 * MS)).isZero();
        m.add(1250, 0);
        m.add(1250, 20 * MS);
        assertThat(m.bitsPerSecond(50 * MS)).as("less than 100 ms of history").isZero();
        for (long t = 40 * MS; t <= 500 * MS; t += 20 * MS) m.add(1250, t);
        assertThat(m.bitsPerSecond(500 * MS)).as("half a second in").isBetween(490_000L, 510_000L);
        assertThat(m.bitsPerSecond(2_000 * MS)).as("a second of silence later").isZero();
    }

    @Test
    void oneWriterAndAReaderRunTogetherWithoutTornValues() throws Exception {
        BitrateMeter m = new BitrateMeter();
        AtomicLong clock = new AtomicLong(1);
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 2_000_000; i++) m.add(100, clock.addAndGet(10_000)); // 100 B / 10 us = 80 Mbps
            done.set(true);
        });
        writer.start();
        long readings = 0;
        long exact = 0;
        while (!done.get()) {
            long now = clock.get();
            long bps = m.bitsPerSecond(now);
            if (now > 1_200_000_000L) {
                // This writer's simulated clock runs hundreds of times faster than real time, so a stalled reader
                // can fall buckets behind; readings may then come out low, but never torn or above the rate.
                assertThat(bps).isBetween(0L, 80_000_000L);
                readings++;
                if (bps == 80_000_000L) exact++;
            }
        }
        writer.join();
        assertThat(readings).as("the reader really raced the writer").isGreaterThan(100);
        assertThat(exact).as("nearly all readings exact").isGreaterThan(readings * 9 / 10);
        assertThat(m.bitsPerSecond(clock.get())).isBetween(79_000_000L, 81_000_000L);
    }
}
