package dev.roomdeck.rtp;

/**
 * Sender report reader (RFC 3550 6.4.1): header, sender SSRC, 64-bit NTP time, RTP timestamp, sender's
 * packet and octet counts, then RC report blocks. Offsets are the packet's first byte.
 */
public final class SenderReport {
    private SenderReport() {}

    /** Header + SSRC + sender info. */
    public static final int SENDER_INFO_END = 28;

    /** True when {@code len} bytes hold the sender info and every report block the RC field announces. */
    public static boolean isValid(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= SENDER_INFO_END && Rtcp.packetType(b, off) == Rtcp.PT_SR
                && len >= SENDER_INFO_END + ReportBlock.LENGTH * reportCount(b, off);
    }

    public static int ssrc(byte[] b, int off) { return Bytes.i32(b, off + 4); }
    public static void setSsrc(byte[] b, int off, int ssrc) { Bytes.put32(b, off + 4, ssrc); }
    /** Full 64-bit NTP timestamp (seconds since 1900 in the upper 32 bits, fraction below). */
    public static long ntpTimestamp(byte[] b, int off) { return ((long) Bytes.i32(b, off + 8) << 32) | Bytes.u32(b, off + 12); }
    /** The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR. */
    public static int ntpMiddle32(byte[] b, int off) { return (int) (ntpTimestamp(b, off) >>> 16); }
    public static int rtpTimestamp(byte[] b, int off) { return Bytes.i32(b, off + 16); }
    public static void setRtpTimestamp(byte[] b, int off, int ts) { Bytes.put32(b, off + 16, ts); }
    public static long packetCount(byte[] b, int off) { return Bytes.u32(b, off + 20); }
    public static long octetCount(byte[] b, int off) { return Bytes.u32(b, off + 24); }
    public static int reportCount(byte[] b, int off) { return Rtcp.countOrFormat(b, off); }
    public static int reportBlockOffset(int off, int i) { return off + SENDER_INFO_END + ReportBlock.LENGTH * i; }

    /**
     * Writes a copy of a publisher's SR fit for a subscriber: sender info only (the publisher's report blocks
     * describe what the publisher receives from us and mean nothing to the subscriber), RC=0, no padding,
     * sender SSRC replaced. Returns 28, the bytes written. The source must have passed {@link #isValid}.
     */
    public static int writeForwarded(byte[] src, int srcOff, int senderSsrc, byte[] out, int outOff) {
        System.arraycopy(src, srcOff + 8, out, outOff + 8, 20);
        Rtcp.writeHeader(out, outOff, 0, Rtcp.PT_SR, SENDER_INFO_END);
        Bytes.put32(out, outOff + 4, senderSsrc);
        return SENDER_INFO_END;
    }
}
