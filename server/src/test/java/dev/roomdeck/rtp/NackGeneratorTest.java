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
        g.packetReceived(3, 60 * MS); // the retransmission
        len = g.poll(112 * MS, out, 0, out.length);
        assertThat(nacked(len)).containsExactly(4);
        g.packetReceived(4, 130 * MS);
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
}
