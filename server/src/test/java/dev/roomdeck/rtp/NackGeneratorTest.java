package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** NACKs toward a publisher for gaps the SFU saw: after a short reorder delay, retried, then given up. */
class NackGeneratorTest {
    private static final long MS = 1_000_000L;
    private final byte[] out = new byte[1200];

    private int[] nacked(int len) {
        int[] seqs = new int[100];
        return Arrays.copyOf(seqs, GenericNack.lostSequenceNumbers(out, 0, len, seqs));
    }

    @Test
    void asksForAGapAfterTheReorderDelayAndStopsWhenItArrives() {
        NackGenerator g = new NackGenerator(0x5E, 0xAB); // 10 ms delay, 100 ms retry, 10 tries, 1 s
        g.packetReceived(1, 0);
        g.packetReceived(2, MS);
        g.packetReceived(5, 2 * MS);
        assertThat(g.missingCount()).isEqualTo(2);
        assertThat(g.poll(5 * MS, out, 0, out.length)).as("might just be reordered").isZero();
        int len = g.poll(12 * MS, out, 0, out.length);
        assertThat(Arrays.copyOf(out, len)).containsExactly(Hex.bytes("81 cd 00 03 | 00 00 00 5e | 00 00 00 ab | 00 03 00 01"));
        assertThat(g.poll(50 * MS, out, 0, out.length)).as("asked less than a retry interval ago").isZero();
        g.packetReceived(3, 60 * MS); // the retransmission, 48 ms after the request
        assertThat(g.retryIntervalNanos()).as("repairs take 48 ms: retry after 48 + 4 × 24 ms").isEqualTo(144 * MS);
        assertThat(g.poll(112 * MS, out, 0, out.length)).as("4's repair may still be on its way").isZero();
        len = g.poll(160 * MS, out, 0, out.length);
        assertThat(nacked(len)).containsExactly(4);
        g.packetReceived(4, 170 * MS);
        assertThat(g.missingCount()).isZero();
        assertThat(g.poll(300 * MS, out, 0, out.length)).isZero();
    }

    @Test
    void givesUpAfterTheRetryLimitOrTheMaxAge() {
        NackGenerator g = new NackGenerator(1, 2, 64, 0, 10 * MS, 3, 1000 * MS);
        g.packetReceived(10, 0);
        g.packetReceived(12, 0);
        int asked = 0;
        for (long t = 0; t < 200 * MS; t += 10 * MS) if (g.poll(t, out, 0, out.length) > 0) asked++;
        assertThat(asked).isEqualTo(3);
        assertThat(g.missingCount()).isZero();
        assertThat(g.givenUp()).isEqualTo(1);

        NackGenerator old = new NackGenerator(1, 2, 64, 0, 10 * MS, 100, 50 * MS);
        old.packetReceived(10, 0);
        old.packetReceived(12, 0);
        assertThat(old.poll(0, out, 0, out.length)).isGreaterThan(0);
        assertThat(old.poll(60 * MS, out, 0, out.length)).as("older than max age").isZero();
        assertThat(old.missingCount()).isZero();
    }

    @Test
    void worksAcrossTheWrapAndPacksNeighboursIntoOnePair() {
        NackGenerator g = new NackGenerator(1, 2, 64, 0, 10 * MS, 3, 1000 * MS);
        g.packetReceived(65533, 0);
        g.packetReceived(2, 0); // 65534, 65535, 0, 1 missing
        int len = g.poll(0, out, 0, out.length);
        assertThat(len).as("one PID/BLP pair").isEqualTo(16);
        assertThat(nacked(len)).containsExactly(65534, 65535, 0, 1);
    }

    @Test
    void aGapWiderThanTheWindowAsksForAKeyframeInstead() {
        NackGenerator g = new NackGenerator(1, 2, 64, 0, 10 * MS, 3, 1000 * MS);
        g.packetReceived(0, 0);
        assertThat(g.packetReceived(1000, 0)).isTrue();
        assertThat(g.missingCount()).isZero();
        assertThat(g.packetReceived(1001, 0)).isFalse();
    }

    @Test
    void aNackRespectsTheLengthLimit() {
        NackGenerator g = new NackGenerator(1, 2, 512, 0, 10 * MS, 3, 1000 * MS);
        g.packetReceived(0, 0);
        for (int s = 2; s < 400; s += 2) g.packetReceived(s, 0); // every odd seq missing
        int len = g.poll(0, out, 0, 52);
        assertThat(len).isLessThanOrEqualTo(52);
        assertThat(nacked(len)).hasSize(10).startsWith(1, 3, 5);
    }
    /**
     * One lost packet {@code seq} between its neighbours (seq - 1 must follow the last number given), asked for once
     * at {@code askedAt} and repaired {@code tookMs} later.
     */
    private static void repairOneGap(NackGenerator g, int seq, long askedAt, long tookMs, byte[] out) {
        g.packetReceived(seq - 1, askedAt - 20 * MS);
        g.packetReceived(seq + 1, askedAt - 15 * MS);
        assertThat(g.poll(askedAt, out, 0, out.length)).as("asks for " + seq).isPositive();
        g.packetReceived(seq, askedAt + tookMs * MS);
    }

    @Test
    void whenRepairsTakeLongerThanTheRetryIntervalItWaitsForThemInsteadOfAskingTwice() {
        NackGenerator g = new NackGenerator(1, 2); // 10 ms reorder delay, retries from 100 ms
        long t = 1000 * MS;
        for (int i = 0; i < 12; i++, t += 300 * MS) {
            repairOneGap(g, 100 + 3 * i, t, 200, out); // a loaded publisher: every repair takes 200 ms
        }
        long retry = g.retryIntervalNanos();
        assertThat(retry).as("smoothed 200 ms plus a shrinking deviation").isBetween(200 * MS, 260 * MS);

        // The next loss: asked once; the repair takes its usual 200 ms and nobody asks again meanwhile.
        g.packetReceived(135, t - 20 * MS);
        g.packetReceived(137, t - 15 * MS);
        assertThat(nacked(g.poll(t, out, 0, out.length))).containsExactly(136);
        for (long at = t + 10 * MS; at < t + 200 * MS; at += 10 * MS) {
            assertThat(g.poll(at, out, 0, out.length)).as("no second request %d ms after the first", (at - t) / MS).isZero();
        }
        g.packetReceived(136, t + 200 * MS);
        assertThat(g.missingCount()).isZero();

        // A repair that really is lost is asked for again once the interval is over.
        g.packetReceived(139, t + 300 * MS);
        retry = g.retryIntervalNanos();
        assertThat(nacked(g.poll(t + 320 * MS, out, 0, out.length))).containsExactly(138);
        assertThat(g.poll(t + 320 * MS + retry - MS, out, 0, out.length)).isZero();
        assertThat(nacked(g.poll(t + 320 * MS + retry, out, 0, out.length))).containsExactly(138);
    }

    @Test
    void onlyRepairsOfNumbersAskedForOnceAreTimed() {
        // Karn's rule: after a retry, a repair may answer either request, so it says nothing about repair time.
        NackGenerator g = new NackGenerator(1, 2, 64, 0, 100 * MS, 10, 1000 * MS);
        g.packetReceived(10, 0);
        g.packetReceived(12, 0);
        assertThat(nacked(g.poll(0, out, 0, out.length))).containsExactly(11);
        assertThat(nacked(g.poll(100 * MS, out, 0, out.length))).containsExactly(11);
        g.packetReceived(11, 105 * MS); // 5 ms after the retry, or 105 ms after the first request?
        assertThat(g.retryIntervalNanos()).as("not timed").isEqualTo(100 * MS);

        // A packet that turns up late by itself (reordered, never asked for) is not a repair either.
        g.packetReceived(14, 200 * MS);
        g.packetReceived(13, 201 * MS);
        assertThat(g.retryIntervalNanos()).isEqualTo(100 * MS);
    }

    @Test
    void theRetryIntervalStaysBetweenTheConfiguredOneAndHalfASecond() {
        NackGenerator quick = new NackGenerator(1, 2);
        for (int i = 0; i < 5; i++) {
            repairOneGap(quick, 100 + 3 * i, (1 + i) * 1000 * MS, 2, out); // loopback without load: 2 ms
        }
        assertThat(quick.retryIntervalNanos()).as("never below the configured 100 ms").isEqualTo(100 * MS);

        NackGenerator slow = new NackGenerator(1, 2);
        repairOneGap(slow, 100, 1000 * MS, 900, out);
        assertThat(slow.retryIntervalNanos()).isEqualTo(NackGenerator.MAX_RETRY_NANOS);
    }

    @Test
    void aNumberThatArrivedIsNeverAskedForAgain() {
        NackGenerator g = new NackGenerator(1, 2, 64, 0, 10 * MS, 10, 1000 * MS);
        g.packetReceived(1, 0);
        g.packetReceived(5, 0); // 2, 3, 4 missing
        assertThat(nacked(g.poll(0, out, 0, out.length))).containsExactly(2, 3, 4);
        g.packetReceived(3, 5 * MS);
        g.packetReceived(3, 6 * MS); // the same repair twice changes nothing
        g.packetReceived(2, 7 * MS);
        assertThat(nacked(g.poll(50 * MS, out, 0, out.length))).containsExactly(4);
        assertThat(g.missingCount()).isEqualTo(1);
    }
}
