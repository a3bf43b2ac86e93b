package dev.roomdeck.rtp;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Bytes seen over the last second, in {@value #BUCKETS} buckets of 100 ms, for live bitrate figures.
 *
 * <p>The rate divides the bytes of the 9 complete buckets before the current one plus the current, partly
 * filled bucket by the time they actually cover (900 ms plus what has elapsed of the current bucket), so a
 * steady feed reads steady whatever the phase of the reading. Before a full window has passed, the covered
 * time starts at the first {@link #add}.
 *
 * <p>Threads: one writer ({@link #add}, the receive thread) and any number of readers. Each bucket's
 * (index, bytes) pair is published with release/acquire ordering; a reader racing with the writer's move to
 * a new bucket may miss or count at most one bucket's worth of bytes for that one reading, which for a 1 Hz
 * display is noise. Two writers would lose counts. Nothing allocates and nothing locks.
 */
public final class BitrateMeter {
    public static final int BUCKETS = 10;
    public static final long BUCKET_NANOS = 100_000_000L;
    private static final long WINDOW_NANOS = BUCKETS * BUCKET_NANOS;

    /** bucketIndex (nanos / BUCKET_NANOS) owning each slot; Long.MIN_VALUE when never used. */
    private final AtomicLongArray owner = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray bytes = new AtomicLongArray(BUCKETS);
    private volatile long firstNanos;
    private volatile boolean started;
    /** [0] total bytes, [1] total packets; written by the one writer with release stores. */
    private final AtomicLongArray totals = new AtomicLongArray(2);

    public BitrateMeter() {
        for (int i = 0; i < BUCKETS; i++) owner.set(i, Long.MIN_VALUE);
    }

    /** Counts {@code length} bytes arriving at {@code nowNanos} (System.nanoTime clock). */
    public void add(int length, long nowNanos) {
        if (!started) {
            firstNanos = nowNanos;
            started = true;
        }
        long index = Math.floorDiv(nowNanos, BUCKET_NANOS);
        int slot = (int) Math.floorMod(index, BUCKETS);
        if (owner.getPlain(slot) != index) {
            bytes.setRelease(slot, 0);
            owner.setRelease(slot, index);
        }
        bytes.setRelease(slot, bytes.getPlain(slot) + length);
        totals.setRelease(0, totals.getPlain(0) + length);
        totals.setRelease(1, totals.getPlain(1) + 1);
    }

    /** Bits per second over the last second as of {@code nowNanos}; 0 before the first packet. */
    public long bitsPerSecond(long nowNanos) {
        if (!started) return 0;
        long current = Math.floorDiv(nowNanos, BUCKET_NANOS);
        long sum = 0;
        for (int slot = 0; slot < BUCKETS; slot++) {
            long idx = owner.getAcquire(slot);
            if (idx > current - BUCKETS && idx <= current) sum += bytes.getAcquire(slot);
        }
        long covered = WINDOW_NANOS - BUCKET_NANOS + (nowNanos - current * BUCKET_NANOS);
        covered = Math.min(covered, nowNanos - firstNanos);
        if (covered <= 0) return 0;
        return (long) (sum * 8 * 1e9 / covered);
    }

    public long totalBytes() { return totals.getAcquire(0); }
    public long totalPackets() { return totals.getAcquire(1); }
}
