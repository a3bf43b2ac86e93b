package dev.roomdeck.rtp;

/**
 * Asks one publisher's video track for keyframes on behalf of all its subscribers, without flooding it.
 *
 * <p>Throttle: at most one request per {@code minIntervalNanos} (default 300 ms). A request that arrives
 * inside the window is not dropped but coalesced: it marks the track pending, and the first {@link #poll} at
 * or after the window's end sends exactly one request for all of them. Ten subscribers joining at once thus
 * cost the publisher two keyframe requests, not ten, and none of them waits longer than one window.
 * A keyframe seen from the publisher ({@link #keyframeReceived}) clears a pending request: it already answers it.
 *
 * <p>The requester writes PLI (RFC 4585) or, for publishers that only negotiated {@code ccm fir}, FIR (RFC 5104)
 * with its own sequence number, incremented for every new request. The caller sends the bytes and should
 * call {@link #poll} from a timer (every 50-100 ms, or when {@link #nanosUntilDue} says so).
 *
 * <p>Threads: requests come from many subscribers' threads; all methods synchronize on this object.
 */
public final class KeyframeRequester {
    public static final long DEFAULT_MIN_INTERVAL_NANOS = 300_000_000L;

    private final int senderSsrc;
    private final int mediaSsrc;
    private final boolean useFir;
    private final long minIntervalNanos;

    private boolean sentAny;
    private long lastSentNanos;
    private boolean pending;
    private int firSeqNr;
    private long requestsSent;
    private long requestsCoalesced;

    public KeyframeRequester(int senderSsrc, int mediaSsrc, boolean useFir) {
        this(senderSsrc, mediaSsrc, useFir, DEFAULT_MIN_INTERVAL_NANOS);
    }

    public KeyframeRequester(int senderSsrc, int mediaSsrc, boolean useFir, long minIntervalNanos) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.useFir = useFir;
        this.minIntervalNanos = minIntervalNanos;
    }

    /** Most bytes {@link #request} or {@link #poll} write. */
    public static final int MAX_LENGTH = Fir.LENGTH_ONE_ENTRY;

    /**
     * Someone needs a keyframe. Writes the PLI/FIR to send now into {@code out[off..]} and returns its length,
     * or returns 0 when throttled (the request is then pending for {@link #poll}).
     */
    public synchronized int request(long nowNanos, byte[] out, int off) {
        if (sentAny && nowNanos - lastSentNanos < minIntervalNanos) {
            requestsCoalesced++;
            pending = true;
            return 0;
        }
        return send(nowNanos, out, off);
    }

    /** Sends a pending request once its window has passed; 0 when there is nothing to send yet. */
    public synchronized int poll(long nowNanos, byte[] out, int off) {
        if (!pending || nowNanos - lastSentNanos < minIntervalNanos) return 0;
        return send(nowNanos, out, off);
    }

    /** The publisher sent a keyframe: pending requests are answered. */
    public synchronized void keyframeReceived(long nowNanos) {
        pending = false;
    }

    /** Nanoseconds until a pending request can go out; -1 when none is pending. */
    public synchronized long nanosUntilDue(long nowNanos) {
        if (!pending) return -1;
        return Math.max(0, minIntervalNanos - (nowNanos - lastSentNanos));
    }

    public synchronized boolean isPending() { return pending; }
    /** The FIR sequence number the last FIR carried. */
    public synchronized int firSequenceNumber() { return firSeqNr; }
    public synchronized long requestsSent() { return requestsSent; }
    /** Requests that arrived inside a throttle window and were folded into a later one. */
    public synchronized long requestsCoalesced() { return requestsCoalesced; }

    private int send(long nowNanos, byte[] out, int off) {
        sentAny = true;
        lastSentNanos = nowNanos;
        pending = false;
        requestsSent++;
        if (useFir) {
            firSeqNr = (firSeqNr + 1) & 0xFF;
            return Fir.write(out, off, senderSsrc, mediaSsrc, firSeqNr);
        }
        return Pli.write(out, off, senderSsrc, mediaSsrc);
    }
}
