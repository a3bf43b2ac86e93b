package dev.roomdeck.rtp;

/**
 * Tells a publisher how many bits per second it may send, with REMB, about once a second.
 *
 * <p>The cap is what the SFU wants (an operator limit, or the lowest subscriber's estimate). {@link #poll}
 * writes a REMB when the interval has passed since the last one; a cap lowered below the last value sent
 * goes out at the next poll instead, because a sender must slow down promptly, while raising can wait.
 * Chrome keeps obeying the last REMB, so the periodic repeat is what keeps the cap alive.
 *
 * <p>Threads: all methods synchronize on this object. Only {@link #setSsrcs} may allocate.
 */
public final class RembSender {
    public static final long DEFAULT_INTERVAL_NANOS = 1_000_000_000L;

    private final int senderSsrc;
    private final long intervalNanos;
    private int[] ssrcs = new int[0];
    private int ssrcCount;
    private long capBps = -1;
    private long lastSentBps = -1;
    private long lastSentNanos;
    private boolean sentAny;

    public RembSender(int senderSsrc) {
        this(senderSsrc, DEFAULT_INTERVAL_NANOS);
    }

    public RembSender(int senderSsrc, long intervalNanos) {
        this.senderSsrc = senderSsrc;
        this.intervalNanos = intervalNanos;
    }

    /** The media SSRCs of the publisher the REMB applies to (its video and audio, at most 255). */
    public synchronized void setSsrcs(int[] ssrcs, int count) {
        if (count < 0 || count > 255) throw new IllegalArgumentException("ssrc count " + count);
        if (this.ssrcs.length < count) this.ssrcs = new int[count];
        System.arraycopy(ssrcs, 0, this.ssrcs, 0, count);
        this.ssrcCount = count;
    }

    /** Sets the cap; a negative value stops REMB until a cap is set again. */
    public synchronized void setCap(long bitsPerSecond) {
        this.capBps = bitsPerSecond;
    }

    public synchronized long cap() { return capBps; }

    /** Most bytes {@link #poll} writes for the current SSRC set. */
    public synchronized int maxLength() { return Remb.length(ssrcCount); }

    /** Writes a REMB into {@code out[off..]} when one is due and returns its length, else 0. */
    public synchronized int poll(long nowNanos, byte[] out, int off) {
        if (capBps < 0 || ssrcCount == 0) return 0;
        boolean due = !sentAny || nowNanos - lastSentNanos >= intervalNanos || capBps < lastSentBps;
        if (!due) return 0;
        sentAny = true;
        lastSentNanos = nowNanos;
        lastSentBps = capBps;
        return Remb.write(out, off, senderSsrc, capBps, ssrcs, ssrcCount);
    }
}
