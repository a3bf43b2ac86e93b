package dev.roomdeck.rtp;

/**
 * One 24-byte reception report block (RFC 3550 6.4.1), as carried in SR and RR:
 * <pre>
 * |                 SSRC of source                                |
 * | fraction lost |       cumulative number of packets lost       |
 * |           extended highest sequence number received           |
 * |                      interarrival jitter                      |
 * |                         last SR (LSR)                         |
 * |                   delay since last SR (DLSR)                  |
 * </pre>
 */
public final class ReportBlock {
    private ReportBlock() {}

    public static final int LENGTH = 24;

    public static int ssrc(byte[] b, int at) { return Bytes.i32(b, at); }
    public static int fractionLost(byte[] b, int at) { return b[at + 4] & 0xFF; }

    /** Signed 24-bit cumulative loss (duplicates can make it negative). */
    public static int cumulativeLost(byte[] b, int at) {
        return (Bytes.u24(b, at + 5) << 8) >> 8;
    }

    public static long extendedHighestSeq(byte[] b, int at) { return Bytes.u32(b, at + 8); }
    public static long jitter(byte[] b, int at) { return Bytes.u32(b, at + 12); }
    public static long lastSr(byte[] b, int at) { return Bytes.u32(b, at + 16); }
    public static long delaySinceLastSr(byte[] b, int at) { return Bytes.u32(b, at + 20); }

    /** Writes one block; cumulative loss is clamped to the signed 24-bit range as RFC 3550 asks. */
    public static void write(byte[] b, int at, int ssrc, int fractionLost, long cumulativeLost,
                             long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
        long cl = Math.max(-0x800000L, Math.min(0x7FFFFFL, cumulativeLost));
        Bytes.put32(b, at, ssrc);
        b[at + 4] = (byte) fractionLost;
        Bytes.put24(b, at + 5, (int) cl & 0xFFFFFF);
        Bytes.put32(b, at + 8, (int) extendedHighestSeq);
        Bytes.put32(b, at + 12, (int) jitter);
        Bytes.put32(b, at + 16, (int) lastSr);
        Bytes.put32(b, at + 20, (int) delaySinceLastSr);
    }
}
