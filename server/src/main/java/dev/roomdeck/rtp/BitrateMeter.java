package dev.roomdeck.rtp;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Bytes seen over the last second, for live bitrate figures: 100 ms buckets, and a reading covers the
 * {@value #WINDOW_BUCKETS} complete buckets before the current one. The figure therefore lags by at most 100 ms,
 * in exchange for an exact window (a steady feed whose period divides 1 s reads exactly its rate, whatever the
 * phase of the reading). During the first second the window starts at the first {@link #add}, and the meter
 * reads 0 until 100 ms of history exist (a couple of packets over a few microseconds say nothing about a rate).
 *
 * <p>Threads: one writer ({@link #add}, the receive thread) and any number of readers, lock-free and
 * allocation-free. Guarantee: a reading is never torn or inflated: each slot's owner index works as a version
 * (invalidated before the slot is reset, republished after), and a slot whose owner changed while it was read is
 * left out. Two slots beyond the window mean the writer can run a whole bucket ahead of the reader's clock
 * without touching the window; a reading can come out low only when the writer moves two or more buckets
 * (200 ms of real time) past the reader's {@code now} while that one reading runs, i.e. a reader stalled for
 * that long. Two writers would lose counts.
 */
public final class BitrateMeter {
    public static final int WINDOW_BUCKETS = 10;
    public static final long BUCKET_NANOS = 100_000_000L;
    private static final int SLOTS = WINDOW_BUCKETS + 2; // the window, the bucket being filled, one spare
    private static final long INVALID = Long.MIN_VALUE;
    private static final long WINDOW_NANOS = WINDOW_BUCKETS * BUCKET_NANOS;

    /** Bucket index (floor(nanos / BUCKET_NANOS)) owning each slot; INVALID when unused or being reset. */
    private final AtomicLongArray owner = new AtomicLongArray(SLOTS);
    private final AtomicLongArray bytes = new AtomicLongArray(SLOTS);
    /** [0] total bytes, [1] total packets. */
    private final AtomicLongArray totals = new AtomicLongArray(2);
    private volatile long firstNanos;
    private volatile boolean started;

    public BitrateMeter() {
        for (int i = 0; i < SLOTS; i++) owner.set(i, INVALID);
    }

    /** Counts {@code length} bytes arriving at {@code nowNanos} (System.nanoTime clock). Writer thread only. */
    public void add(int length, long nowNanos) {
        if (!started) {
            firstNanos = nowNanos;
            started = true;
        }
        long index = Math.floorDiv(nowNanos, BUCKET_NANOS);
        int slot = (int) Math.floorMod(index, SLOTS);
        if (owner.getPlain(slot) != index) {
            owner.setRelease(slot, INVALID); // readers that see the reset below also see this
            bytes.setRelease(slot, 0);
            owner.setRelease(slot, index);
        }
        bytes.setRelease(slot, bytes.getPlain(slot) + length);
        totals.setRelease(0, totals.getPlain(0) + length);
        totals.setRelease(1, totals.getPlain(1) + 1);
    }

    /** Bits per second over the last complete second before {@code nowNanos}; 0 before 100 ms of history. */
    public long bitsPerSecond(long nowNanos) {
        if (!started) return 0;
        long current = Math.floorDiv(nowNanos, BUCKET_NANOS);
        long windowEnd = current * BUCKET_NANOS;
        long covered = Math.min(WINDOW_NANOS, windowEnd - firstNanos);
        if (covered < BUCKET_NANOS) return 0;
        long sum = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            long idx = owner.getAcquire(slot);
            if (idx < current - WINDOW_BUCKETS || idx >= current) continue;
            long b = bytes.getAcquire(slot);
            if (owner.getAcquire(slot) == idx) sum += b; // else recycled under us: its bytes are gone
        }
        return (long) (sum * 8 * 1e9 / covered);
    }

    public long totalBytes() { return totals.getAcquire(0); }
    public long totalPackets() { return totals.getAcquire(1); }
}
