package dev.roomdeck.rtp;

/**
 * What the SFU knows about one incoming SSRC, for the report block it sends back to the publisher
 * (RFC 3550 appendix A.1 sequence tracking, A.3 loss, A.8 jitter).
 *
 * <p>Sequence tracking follows A.1 without probation (a WebRTC stream is trusted from its first packet):
 * a jump of more than {@value #MAX_DROPOUT} ahead or {@value #MAX_MISORDER} behind is treated as a restart
 * only when the next packet follows it, otherwise the stray packet is not counted.
 *
 * <p>Jitter (A.8) is updated only by packets that advance the highest seq and carry a new RTP timestamp:
 * the packets of one video frame share a timestamp but leave the sender paced over several milliseconds,
 * which is not network jitter (libwebrtc does the same).
 *
 * <p>Threads: {@link #packetReceived} runs on the receive thread, {@link #writeReportBlock} on a report timer.
 * Methods synchronize on this object; the lock is per stream and held for a few field updates.
 */
public final class ReceiveStats {
    public static final int MAX_DROPOUT = 3000;
    public static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private final int ssrc;
    private final int clockRate;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private long epochNanos;
    private boolean haveTransit;
    private int lastTransit;
    private int lastTimestamp;
    /** Jitter in RTP units, scaled by 16 as in A.8. */
    private long jitterQ4;

    private int lastSrMiddle;
    private long lastSrArrivalNanos;
    private boolean haveSr;

    private int lastFractionLost;

    public ReceiveStats(int ssrc, int clockRate) {
        if (clockRate <= 0) throw new IllegalArgumentException("clockRate " + clockRate);
        this.ssrc = ssrc;
        this.clockRate = clockRate;
    }

    public int ssrc() { return ssrc; }

    public void packetReceived(RtpPacket p, long arrivalNanos) {
        packetReceived(p.sequenceNumber(), p.timestamp(), arrivalNanos);
    }

    /** Accounts one RTP packet of this SSRC (seq 16-bit, rtp timestamp 32-bit). */
    public synchronized void packetReceived(int seq, int rtpTimestamp, long arrivalNanos) {
        seq &= 0xFFFF;
        if (!started) {
            started = true;
            epochNanos = arrivalNanos;
            initSequence(seq);
            received = 1;
            updateJitter(rtpTimestamp, arrivalNanos);
            return;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        boolean advanced = false;
        if (udelta < MAX_DROPOUT) {
            if (udelta != 0) {
                if (seq < maxSeq) cycles += SEQ_MOD;
                maxSeq = seq;
                advanced = true;
            }
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two packets in a row after a big jump: the sender restarted its sequence.
                initSequence(seq);
                haveTransit = false;
                advanced = true;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return;
            }
        } // else: duplicate or reordered within MAX_MISORDER, counted but not advancing
        received++;
        if (advanced) updateJitter(rtpTimestamp, arrivalNanos);
    }

    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
    }

    private void updateJitter(int rtpTimestamp, long arrivalNanos) {
        int arrival = (int) toRtpUnits(arrivalNanos - epochNanos);
        int transit = arrival - rtpTimestamp;
        if (haveTransit && rtpTimestamp != lastTimestamp) {
            int d = Math.abs(transit - lastTransit);
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        if (!haveTransit || rtpTimestamp != lastTimestamp) {
            lastTransit = transit;
            lastTimestamp = rtpTimestamp;
            haveTransit = true;
        }
    }

    private long toRtpUnits(long nanos) {
        // Split to stay exact and overflow-free for any realistic uptime.
        return (nanos / 1_000_000_000L) * clockRate + (nanos % 1_000_000_000L) * clockRate / 1_000_000_000L;
    }

    /** Remembers an SR from this source: the middle 32 bits of its NTP time and when it arrived, for LSR/DLSR. */
    public synchronized void senderReportReceived(int ntpMiddle32, long arrivalNanos) {
        lastSrMiddle = ntpMiddle32;
        lastSrArrivalNanos = arrivalNanos;
        haveSr = true;
    }

    public synchronized long extendedHighestSeq() { return cycles + maxSeq; }
    public synchronized long packetsReceived() { return received; }
    public synchronized long expected() { return started ? cycles + maxSeq - baseSeq + 1 : 0; }
    public synchronized long cumulativeLost() { return expected() - received; }
    /** Interarrival jitter in RTP timestamp units. */
    public synchronized long jitter() { return jitterQ4 >> 4; }
    /** Fraction lost (0..255, /256) reported in the last block written. */
    public synchronized int lastFractionLost() { return lastFractionLost; }
    public synchronized boolean hasPackets() { return started; }

    /**
     * Writes this stream's 24-byte report block at {@code out[at..]} and starts a new reporting interval
     * (fraction lost covers the packets since the previous call).
     */
    public synchronized void writeReportBlock(byte[] out, int at, long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = (expectedInterval == 0 || lostInterval <= 0) ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        lastFractionLost = Math.min(fraction, 255);
        long lsr = 0;
        long dlsr = 0;
        if (haveSr) {
            lsr = lastSrMiddle & 0xFFFF_FFFFL;
            long delay = Math.max(0, nowNanos - lastSrArrivalNanos);
            dlsr = Math.min(0xFFFF_FFFFL, delay / 1_000_000_000L * 65536 + (delay % 1_000_000_000L) * 65536 / 1_000_000_000L);
        }
        ReportBlock.write(out, at, ssrc, lastFractionLost, expected - received, extendedHighestSeq(), jitterQ4 >> 4, lsr, dlsr);
    }
}
