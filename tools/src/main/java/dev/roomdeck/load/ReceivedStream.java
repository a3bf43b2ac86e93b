package dev.roomdeck.load;

/**
 * One stream as one peer receives it (one SSRC at that peer). Written only by the peer's receive thread; other
 * threads read the volatile counters.
 */
final class ReceivedStream {
    final int stream;
    volatile int ssrc;
    volatile long packets;
    /** Sequence-number span seen so far (RFC 3550 style), for the running loss estimate. */
    volatile long seqSpan;
    private volatile int window;
    private volatile long windowPackets;
    private boolean started;
    private int baseSeq;
    private long highestExt;

    ReceivedStream(int stream) {
        this.stream = stream;
    }

    void received(int ssrc, int seq, int packetWindow, int countWindow) {
        this.ssrc = ssrc;
        packets++;
        if (!started) {
            started = true;
            baseSeq = seq;
            highestExt = seq;
        } else {
            // Extend the 16-bit number to the side nearest the highest seen.
            long candidate = (highestExt & ~0xFFFFL) | seq;
            if (candidate < highestExt - 0x8000) {
                candidate += 0x10000;
            } else if (candidate > highestExt + 0x8000) {
                candidate -= 0x10000;
            }
            if (candidate > highestExt) {
                highestExt = candidate;
            }
        }
        seqSpan = highestExt - baseSeq + 1;
        if (packetWindow != 0 && packetWindow == countWindow) {
            if (window != packetWindow) {
                window = packetWindow;
                windowPackets = 0;
            }
            windowPackets++;
        }
    }

    long windowReceived(int w) {
        return window == w ? windowPackets : 0;
    }
}
