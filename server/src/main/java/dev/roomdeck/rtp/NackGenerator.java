package dev.roomdeck.rtp;

/**
 * Asks a publisher to resend packets the SFU did not get (generic NACK, RFC 4585), for one incoming stream.
 *
 * <p>Every packet's seq goes to {@link #packetReceived} (retransmissions too, after
 * {@link RtxWriter#restoreOriginal}). A jump in sequence marks the skipped numbers missing; a late or resent
 * packet clears its number. {@link #poll}, called every 10-20 ms, writes a NACK for numbers that have been
 * missing for at least {@code firstDelay} (room for plain reordering) and were not asked for within the last
 * retry interval. A number is given up after {@code maxRetries} requests or once older than {@code maxAge}: by
 * then the frame it belonged to is lost anyway.
 *
 * <p>The retry interval follows how long repairs really take, as TCP times its retransmissions (RFC 6298): a
 * smoothed repair time plus four times its mean deviation, never below {@code retryInterval} and never above
 * {@link #MAX_RETRY_NANOS}. Only repairs of numbers asked for once are timed (Karn's rule: after a retry nobody
 * can tell which request a repair answers). Asking again before the first repair could arrive only brings the
 * packet twice: on a loaded machine Chrome's repairs took 100-500 ms, and a fixed 100 ms retry doubled them.
 * Seen by the SFU as {@code rtx-redundant} drops.
 *
 * <p>A gap larger than the tracking window ({@code capacity}) cannot be repaired by NACK;
 * {@link #packetReceived} returns true then and the caller should ask for a keyframe instead.
 *
 * <p>Threads: all methods synchronize on this object. Nothing allocates after construction.
 */
public final class NackGenerator {
    /** The retry interval never grows beyond this, whatever the repairs take (half the default max age). */
    public static final long MAX_RETRY_NANOS = 500_000_000L;

    private final int senderSsrc;
    private final int mediaSsrc;
    private final long firstDelayNanos;
    /** The shortest retry interval: before any repair was timed, and when repairs are quick. */
    private final long minRetryNanos;
    private final int maxRetries;
    private final long maxAgeNanos;

    private final long[] missingSeq;      // extended seq in this slot, or -1
    private final long[] missingSince;
    private final long[] lastAsked;
    private final int[] retries;
    private final int mask;
    private final int[] scratch;

    private boolean started;
    private long highest;
    private int missingCount;
    private long givenUp;
    /** RFC 6298 estimator over repair times; srtt &lt; 0 until the first sample. */
    private long srttNanos = -1;
    private long rttvarNanos;

    public NackGenerator(int senderSsrc, int mediaSsrc) {
        this(senderSsrc, mediaSsrc, 512, 10_000_000L, 100_000_000L, 10, 1_000_000_000L);
    }

    public NackGenerator(int senderSsrc, int mediaSsrc, int capacity, long firstDelayNanos,
                         long retryIntervalNanos, int maxRetries, long maxAgeNanos) {
        if (capacity < 16 || capacity > 32768 || Integer.bitCount(capacity) != 1)
            throw new IllegalArgumentException("capacity must be a power of two in 16..32768: " + capacity);
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.firstDelayNanos = firstDelayNanos;
        this.minRetryNanos = retryIntervalNanos;
        this.maxRetries = maxRetries;
        this.maxAgeNanos = maxAgeNanos;
        this.missingSeq = new long[capacity];
        this.missingSince = new long[capacity];
        this.lastAsked = new long[capacity];
        this.retries = new int[capacity];
        this.mask = capacity - 1;
        this.scratch = new int[capacity];
        java.util.Arrays.fill(missingSeq, -1);
    }

    /** Accounts a packet; returns true when the gap before it was too large to NACK (ask for a keyframe). */
    public synchronized boolean packetReceived(int seq16, long nowNanos) {
        if (!started) {
            started = true;
            highest = seq16 & 0xFFFF;
            return false;
        }
        long ext = SequenceNumbers.unwrap(seq16, highest);
        if (ext <= highest) {
            int slot = (int) ext & mask;
            if (missingSeq[slot] == ext) {
                if (retries[slot] == 1) {
                    repairTook(nowNanos - lastAsked[slot]);
                }
                remove(slot);
            }
            return false;
        }
        long gap = ext - highest - 1;
        boolean tooLarge = gap > missingSeq.length;
        if (tooLarge) {
            clear();
        } else {
            for (long s = highest + 1; s < ext; s++) {
                int slot = (int) s & mask;
                if (missingSeq[slot] >= 0) {
                    givenUp++;
                    missingCount--;
                }
                missingSeq[slot] = s;
                missingSince[slot] = nowNanos;
                lastAsked[slot] = 0;
                retries[slot] = 0;
                missingCount++;
            }
        }
        // The slot of the new packet may hold a number one window older: that one is out of reach now.
        int slot = (int) ext & mask;
        if (missingSeq[slot] >= 0) {
            givenUp++;
            remove(slot);
        }
        highest = ext;
        return tooLarge;
    }

    /**
     * Writes a NACK for the numbers due now, at most {@code maxLength} bytes, and returns its length; 0 when
     * nothing is due.
     */
    public synchronized int poll(long nowNanos, byte[] out, int off, int maxLength) {
        if (missingCount == 0) return 0;
        int limit = Math.max(0, (maxLength - GenericNack.HEADER_END) / 4);
        long retry = retryIntervalNanos();
        int n = 0;
        for (long s = highest - missingSeq.length + 1; s <= highest && n < limit; s++) {
            if (s < 0) continue;
            int slot = (int) s & mask;
            if (missingSeq[slot] != s) continue;
            if (nowNanos - missingSince[slot] > maxAgeNanos || retries[slot] >= maxRetries) {
                givenUp++;
                remove(slot);
                continue;
            }
            if (nowNanos - missingSince[slot] < firstDelayNanos) continue;
            if (retries[slot] > 0 && nowNanos - lastAsked[slot] < retry) continue;
            retries[slot]++;
            lastAsked[slot] = nowNanos;
            scratch[n++] = (int) s & 0xFFFF;
        }
        return GenericNack.write(out, off, senderSsrc, mediaSsrc, scratch, n);
    }

    /**
     * How long a requested number waits before it is asked for again: the smoothed repair time plus four mean
     * deviations, within [{@code retryInterval}, {@link #MAX_RETRY_NANOS}]; {@code retryInterval} until a repair
     * was timed.
     */
    public synchronized long retryIntervalNanos() {
        if (srttNanos < 0) return minRetryNanos;
        return Math.max(minRetryNanos, Math.min(MAX_RETRY_NANOS, srttNanos + 4 * rttvarNanos));
    }

    public synchronized int missingCount() { return missingCount; }
    /** Numbers dropped without being recovered (retries, age, or pushed out of the window). */
    public synchronized long givenUp() { return givenUp; }

    /** RFC 6298 2.2 and 2.3 with alpha 1/8 and beta 1/4. */
    private void repairTook(long sample) {
        if (sample < 0) return;
        if (srttNanos < 0) {
            srttNanos = sample;
            rttvarNanos = sample / 2;
        } else {
            rttvarNanos += (Math.abs(srttNanos - sample) - rttvarNanos) / 4;
            srttNanos += (sample - srttNanos) / 8;
        }
    }

    private void remove(int slot) {
        missingSeq[slot] = -1;
        missingCount--;
    }

    private void clear() {
        java.util.Arrays.fill(missingSeq, -1);
        missingCount = 0;
    }
}
