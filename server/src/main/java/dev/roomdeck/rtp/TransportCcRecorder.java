package dev.roomdeck.rtp;

/**
 * Receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01):
 * records the arrival time of every packet by its transport-wide sequence number (the header extension
 * negotiated as {@code http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01}) and turns
 * them into RTPFB FMT 15 feedback. This feedback is what drives the sender's (Chrome's) bandwidth estimator:
 * without it a publisher's video stays near its start bitrate.
 *
 * <p>Use: {@link #record} for every RTP packet of the transport; every 50-100 ms call {@link #buildFeedback}
 * until it returns 0 and send each packet it wrote. Each feedback covers the sequence numbers from the first
 * one not yet reported to the highest received (the next feedback starts after the last one covered), so a
 * packet arriving after it was reported as lost stays lost, as in libwebrtc.
 *
 * <p>Encoding: the reference time is the first received packet's arrival in 64 ms ticks (24-bit, wrapping);
 * each received packet's delta is measured from the previous received packet's quantized time in 250 us
 * ticks, so rounding never accumulates. Deltas 0..255 ticks go as small (1 byte), others as large
 * (signed 2 bytes); a delta beyond +-8191.75 ms ends the feedback and the next one starts with a new
 * reference time. Status chunks: run-length when 14 or more equal symbols follow (or all remaining are
 * equal), else a 1-bit status vector (14 symbols) when the next 14 are only "not received"/"small", else a
 * run-length for 7..13 equal symbols, else a 2-bit vector (7 symbols). The packet is padded to 32 bits with
 * the P bit set and the pad count in the last byte, as libwebrtc writes it.
 *
 * <p>Threads: record and build synchronize on this object (one lock per transport, not shared).
 */
public final class TransportCcRecorder {
    private static final long NONE = Long.MIN_VALUE;
    private static final int TICKS_PER_REFERENCE = TransportCcFeedback.REFERENCE_TICK_MICROS / TransportCcFeedback.DELTA_TICK_MICROS;

    private final long[] arrivalsMicros;
    private final int mask;
    private final byte[] symbols;
    private int senderSsrc;
    private int mediaSsrc;

    private boolean started;
    private long highest;   // highest extended transport seq received
    private long next;      // first extended seq not yet covered by a feedback
    private int feedbackCount;
    private long lateArrivals;

    public TransportCcRecorder(int senderSsrc, int mediaSsrc) {
        this(senderSsrc, mediaSsrc, 8192);
    }

    /** @param capacity power of two; statuses kept between feedbacks (packets beyond it are reported lost) */
    public TransportCcRecorder(int senderSsrc, int mediaSsrc, int capacity) {
        if (capacity < 16 || capacity > 32768 || Integer.bitCount(capacity) != 1)
            throw new IllegalArgumentException("capacity must be a power of two in 16..32768: " + capacity);
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.arrivalsMicros = new long[capacity];
        this.mask = capacity - 1;
        this.symbols = new byte[capacity];
        java.util.Arrays.fill(arrivalsMicros, NONE);
    }

    public synchronized void setSsrcs(int senderSsrc, int mediaSsrc) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
    }

    /** Records the packet's transport-wide seq (from the extension with {@code extensionId}); false when it has none. */
    public boolean record(RtpPacket packet, int extensionId, long arrivalNanos) {
        int seq = packet.transportSequenceNumber(extensionId);
        if (seq < 0) return false;
        record(seq, arrivalNanos);
        return true;
    }

    /** Records that transport-wide seq {@code seq16} arrived at {@code arrivalNanos} (System.nanoTime clock). */
    public synchronized void record(int seq16, long arrivalNanos) {
        long us = Math.floorDiv(arrivalNanos, 1000L);
        if (!started) {
            started = true;
            highest = seq16 & 0xFFFF;
            next = highest;
            arrivalsMicros[(int) highest & mask] = us;
            return;
        }
        long ext = SequenceNumbers.unwrap(seq16, highest);
        if (ext < next) {
            lateArrivals++;
            return;
        }
        if (ext > highest) {
            long gap = ext - highest;
            if (gap > arrivalsMicros.length) {
                java.util.Arrays.fill(arrivalsMicros, NONE);
            } else {
                for (long s = highest + 1; s < ext; s++) arrivalsMicros[(int) s & mask] = NONE;
            }
            highest = ext;
            if (highest - next >= arrivalsMicros.length) next = highest - arrivalsMicros.length + 1;
            arrivalsMicros[(int) ext & mask] = us;
        } else if (arrivalsMicros[(int) ext & mask] == NONE) {
            arrivalsMicros[(int) ext & mask] = us; // reordered: fill its hole; a duplicate keeps the first time
        }
    }

    /** True when received packets wait to be reported. */
    public synchronized boolean hasPending() {
        return started && next <= highest;
    }

    /** Packets that arrived after a feedback had already reported them lost. */
    public synchronized long lateArrivals() { return lateArrivals; }

    /**
     * Writes one feedback packet of at most {@code maxLength} bytes (at least 32) into {@code out[off..]} and
     * returns its length, or 0 when nothing is pending. Call again while it returns more than 0.
     */
    public synchronized int buildFeedback(byte[] out, int off, int maxLength) {
        if (maxLength < 32) throw new IllegalArgumentException("maxLength < 32: " + maxLength);
        if (!started || next > highest) return 0;

        // Skip nothing: statuses start at the first unreported seq; the reference time comes from the first
        // received one (there is one: 'highest' always is).
        long first = next;
        long firstReceived = first;
        while (arrivalsMicros[(int) firstReceived & mask] == NONE) firstReceived++;
        long referenceTicks = Math.floorDiv(arrivalsMicros[(int) firstReceived & mask], (long) TransportCcFeedback.REFERENCE_TICK_MICROS);
        long lastTicks = referenceTicks * TICKS_PER_REFERENCE;

        // Pass 1: choose statuses while the packet, bounded pessimistically, still fits.
        int budget = maxLength - TransportCcFeedback.HEADER_END - 3; // 3: worst-case padding
        int n = 0;
        int deltaBytes = 0;
        long ticks = lastTicks;
        for (long s = first; s <= highest && n < 0xFFFF; s++) {
            long t = arrivalsMicros[(int) s & mask];
            int symbol;
            int cost = 0;
            long tTicks = 0;
            if (t == NONE) {
                symbol = TransportCcFeedback.STATUS_NOT_RECEIVED;
            } else {
                tTicks = Math.floorDiv(t, (long) TransportCcFeedback.DELTA_TICK_MICROS);
                long d = tTicks - ticks;
                if (d >= 0 && d <= 255) {
                    symbol = TransportCcFeedback.STATUS_SMALL_DELTA;
                    cost = 1;
                } else if (d >= Short.MIN_VALUE && d <= Short.MAX_VALUE) {
                    symbol = TransportCcFeedback.STATUS_LARGE_DELTA;
                    cost = 2;
                } else {
                    break; // cannot be said relative to this reference: next feedback
                }
            }
            int chunkBound = 2 * ((n + 1 + 6) / 7);
            if (chunkBound + deltaBytes + cost > budget) break;
            symbols[n++] = (byte) symbol;
            deltaBytes += cost;
            if (t != NONE) ticks = tTicks;
        }
        if (n == 0) return 0;

        // Pass 2: chunks, then deltas.
        int at = off + TransportCcFeedback.HEADER_END;
        int i = 0;
        while (i < n) {
            int sym = symbols[i];
            int run = 1;
            while (i + run < n && symbols[i + run] == sym && run < 0x1FFF) run++;
            int remaining = n - i;
            if (run >= 14 || run == remaining) {
                Bytes.put16(out, at, (sym << 13) | run);
                i += run;
            } else if (onlyOneBitSymbols(i, Math.min(14, remaining))) {
                int w = Math.min(14, remaining);
                int chunk = 0x8000;
                for (int k = 0; k < w; k++) chunk |= symbols[i + k] << (13 - k);
                Bytes.put16(out, at, chunk);
                i += w;
            } else if (run >= 7) {
                Bytes.put16(out, at, (sym << 13) | run);
                i += run;
            } else {
                int w = Math.min(7, remaining);
                int chunk = 0xC000;
                for (int k = 0; k < w; k++) chunk |= symbols[i + k] << (12 - 2 * k);
                Bytes.put16(out, at, chunk);
                i += w;
            }
            at += 2;
        }
        ticks = lastTicks;
        for (int k = 0; k < n; k++) {
            if (symbols[k] == TransportCcFeedback.STATUS_NOT_RECEIVED) continue;
            long tTicks = Math.floorDiv(arrivalsMicros[(int) (first + k) & mask], (long) TransportCcFeedback.DELTA_TICK_MICROS);
            int d = (int) (tTicks - ticks);
            ticks = tTicks;
            if (symbols[k] == TransportCcFeedback.STATUS_SMALL_DELTA) {
                out[at++] = (byte) d;
            } else {
                Bytes.put16(out, at, d);
                at += 2;
            }
        }
        int len = at - off;
        int pad = (4 - (len & 3)) & 3;
        for (int k = 0; k < pad; k++) out[at++] = 0;
        if (pad > 0) out[at - 1] = (byte) pad;
        len += pad;

        Rtcp.writeHeader(out, off, Rtcp.FMT_TRANSPORT_CC, Rtcp.PT_RTPFB, len);
        if (pad > 0) out[off] |= 0x20;
        Bytes.put32(out, off + 4, senderSsrc);
        Bytes.put32(out, off + 8, mediaSsrc);
        Bytes.put16(out, off + 12, (int) first);
        Bytes.put16(out, off + 14, n);
        Bytes.put24(out, off + 16, (int) referenceTicks & 0xFFFFFF);
        out[off + 19] = (byte) feedbackCount;
        feedbackCount = (feedbackCount + 1) & 0xFF;
        next = first + n;
        return len;
    }

    private boolean onlyOneBitSymbols(int from, int count) {
        for (int k = from; k < from + count; k++) if (symbols[k] > TransportCcFeedback.STATUS_SMALL_DELTA) return false;
        return true;
    }
}
