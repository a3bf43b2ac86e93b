package dev.roomdeck.media;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long datagrams spend in the server: from the moment the shared port's reader took one off the socket to the
 * end of its processing on the {@link MediaWorker} (SRTP, forwarding and, with one fan-out shard, every
 * subscriber's send; with fan-out threads, until it is handed to them). Its tail is what says the server, and not
 * the network, delays media: it grows when the packet path is short of CPU, long before anything is dropped.
 *
 * <p>One writer (the worker's thread): counts are published with ordered stores, no atomic read-modify-write on
 * the packet path; readers see a consistent-enough picture for a histogram.
 */
public final class PathDelay {
    /** Bucket upper bounds in microseconds; the last bucket takes everything above the last bound. */
    static final long[] BOUNDS_MICROS = {50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MICROS.length + 1);
    private final AtomicLong sumNanos = new AtomicLong();

    /** On the worker's thread only. */
    void record(long nanos) {
        long micros = nanos / 1_000;
        int i = 0;
        while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
            i++;
        }
        counts.lazySet(i, counts.get(i) + 1);
        sumNanos.lazySet(sumNanos.get() + Math.max(0, nanos));
    }

    /** What was recorded since the start. */
    public Snapshot snapshot() {
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
        }
        return new Snapshot(BOUNDS_MICROS.clone(), c, sumNanos.get());
    }

    /**
     * Counts per bucket ({@code counts[i]}: delays up to {@code boundsMicros[i]} and above the bound before; the
     * last: above every bound) and the sum of all delays. Copies, taken by {@link #snapshot()}.
     */
    public record Snapshot(long[] boundsMicros, long[] counts, long sumNanos) {
    }
}
