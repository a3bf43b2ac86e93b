package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An independent reader of transport-cc feedback for the tests, written from the draft's text
 * (section 3.1), not from TransportCcRecorder: statuses expand chunk by chunk, then deltas are summed from
 * the reference time.
 */
final class TransportCcDecoder {
    static final long LOST = Long.MIN_VALUE;

    final int base;
    final int count;
    final int referenceTime;
    final int feedbackCount;
    final int[] symbols;
    /** Arrival time in microseconds (reference clock) per status, or LOST. */
    final long[] arrivalMicros;

    private TransportCcDecoder(int base, int count, int referenceTime, int feedbackCount, int[] symbols, long[] arrivalMicros) {
        this.base = base;
        this.count = count;
        this.referenceTime = referenceTime;
        this.feedbackCount = feedbackCount;
        this.symbols = symbols;
        this.arrivalMicros = arrivalMicros;
    }

    static TransportCcDecoder decode(byte[] b, int off, int len) {
        assertThat(len % 4).as("32-bit aligned").isZero();
        assertThat((b[off] & 0xC0) >>> 6).as("version").isEqualTo(2);
        assertThat(b[off] & 0x1F).as("FMT").isEqualTo(15);
        assertThat(b[off + 1] & 0xFF).as("PT").isEqualTo(205);
        assertThat((((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF)) * 4 + 4).as("length field").isEqualTo(len);
        int end = off + len;
        if ((b[off] & 0x20) != 0) {
            int pad = b[end - 1] & 0xFF;
            assertThat(pad).isBetween(1, 3);
            end -= pad;
        }
        int base = u16(b, off + 12);
        int count = u16(b, off + 14);
        int ref = (((b[off + 16] & 0xFF) << 16 | (b[off + 17] & 0xFF) << 8 | (b[off + 18] & 0xFF)) << 8) >> 8;
        int fb = b[off + 19] & 0xFF;
        int[] symbols = new int[count];
        int n = 0;
        int pos = off + 20;
        while (n < count) {
            assertThat(pos + 2).as("chunk inside packet").isLessThanOrEqualTo(end);
            int chunk = u16(b, pos);
            pos += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 0x3;
                int run = chunk & 0x1FFF;
                assertThat(run).as("run length within status count").isBetween(1, count - n);
                for (int k = 0; k < run; k++) symbols[n++] = symbol;
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 0; k < 14 && n < count; k++) symbols[n++] = (chunk >>> (13 - k)) & 0x1;
            } else {
                for (int k = 0; k < 7 && n < count; k++) symbols[n++] = (chunk >>> (12 - 2 * k)) & 0x3;
            }
        }
        long[] arrivals = new long[count];
        long t = ref * 64_000L;
        for (int i = 0; i < count; i++) {
            switch (symbols[i]) {
                case 0 -> arrivals[i] = LOST;
                case 1 -> {
                    t += (b[pos++] & 0xFF) * 250L;
                    arrivals[i] = t;
                }
                case 2 -> {
                    t += ((short) u16(b, pos)) * 250L;
                    pos += 2;
                    arrivals[i] = t;
                }
                default -> throw new AssertionError("symbol 3 (received, no delta) is never written by us");
            }
        }
        assertThat(pos).as("deltas inside the packet").isLessThanOrEqualTo(end);
        assertThat(end - pos).as("only padding after the deltas").isLessThan(4);
        return new TransportCcDecoder(base, count, ref, fb, symbols, arrivals);
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
}
