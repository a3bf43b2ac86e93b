package dev.roomdeck.rtp;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01, 3.1):
 * RTPFB FMT 15. The SFU only writes it ({@link TransportCcRecorder}); incoming ones are detected and their
 * fixed fields read, since the server does no send-side estimation of its own.
 * <pre>
 * | header, sender SSRC, media SSRC                               |
 * |      base sequence number     |      packet status count      |
 * |  reference time (signed 24, x 64 ms)          | fb pkt. count |
 * |  packet chunks ... | recv deltas ... | zero padding           |
 * </pre>
 */
public final class TransportCcFeedback {
    private TransportCcFeedback() {}

    public static final int HEADER_END = 20;
    public static final int STATUS_NOT_RECEIVED = 0;
    public static final int STATUS_SMALL_DELTA = 1;
    public static final int STATUS_LARGE_DELTA = 2;
    /** One recv delta tick: 250 microseconds. */
    public static final int DELTA_TICK_MICROS = 250;
    /** One reference time tick: 64 milliseconds. */
    public static final int REFERENCE_TICK_MICROS = 64_000;

    public static boolean isValid(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= HEADER_END && Rtcp.packetType(b, off) == Rtcp.PT_RTPFB
                && Rtcp.countOrFormat(b, off) == Rtcp.FMT_TRANSPORT_CC;
    }

    public static int baseSequenceNumber(byte[] b, int off) { return Bytes.u16(b, off + 12); }
    public static int packetStatusCount(byte[] b, int off) { return Bytes.u16(b, off + 14); }
    /** Signed 24-bit reference time in 64 ms ticks. */
    public static int referenceTime(byte[] b, int off) { return (Bytes.u24(b, off + 16) << 8) >> 8; }
    public static int feedbackPacketCount(byte[] b, int off) { return b[off + 19] & 0xFF; }
}
