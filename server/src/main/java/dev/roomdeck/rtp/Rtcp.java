package dev.roomdeck.rtp;

/**
 * RTCP constants and the common header (RFC 3550 section 6.4; feedback RFC 4585):
 * <pre>
 * |V=2|P| RC/FMT  |      PT       |  length = 32-bit words - 1    |
 * </pre>
 * Offsets passed to the static readers in this package always point at the first byte of one RTCP packet
 * (the V/P/RC byte) inside a compound packet; {@link RtcpIterator} yields such offsets after checking lengths.
 */
public final class Rtcp {
    private Rtcp() {}

    public static final int HEADER_LENGTH = 4;

    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;
    /** Transport-layer feedback (RFC 4585): NACK, transport-cc. */
    public static final int PT_RTPFB = 205;
    /** Payload-specific feedback (RFC 4585): PLI, FIR, REMB. */
    public static final int PT_PSFB = 206;

    public static final int FMT_NACK = 1;
    public static final int FMT_TRANSPORT_CC = 15;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    /** Application-layer feedback: REMB lives here. */
    public static final int FMT_AFB = 15;

    public static int countOrFormat(byte[] b, int off) { return b[off] & 0x1F; }
    public static boolean hasPadding(byte[] b, int off) { return (b[off] & 0x20) != 0; }
    public static int packetType(byte[] b, int off) { return b[off + 1] & 0xFF; }
    /** Total bytes of this RTCP packet, header and any padding included. */
    public static int packetLength(byte[] b, int off) { return 4 * (Bytes.u16(b, off + 2) + 1); }

    /** Writes V=2, no padding, count/fmt, packet type and the length field for {@code totalBytes} (a multiple of 4). */
    public static void writeHeader(byte[] b, int off, int countOrFormat, int packetType, int totalBytes) {
        b[off] = (byte) (0x80 | (countOrFormat & 0x1F));
        b[off + 1] = (byte) packetType;
        Bytes.put16(b, off + 2, totalBytes / 4 - 1);
    }

    /** RFC 5761 demultiplexing of RTP and RTCP on one port: second byte 192..223 is RTCP. */
    public static boolean looksLikeRtcp(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len) || len < 8) return false;
        if (((buf[off] & 0xFF) >>> 6) != 2) return false;
        int pt = buf[off + 1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    /** Common feedback header (RFC 4585 6.1): sender SSRC at +4, media source SSRC at +8. */
    public static int senderSsrc(byte[] b, int off) { return Bytes.i32(b, off + 4); }
    public static void setSenderSsrc(byte[] b, int off, int ssrc) { Bytes.put32(b, off + 4, ssrc); }
    public static int mediaSsrc(byte[] b, int off) { return Bytes.i32(b, off + 8); }

    /**
     * Points a subscriber's feedback (NACK, PLI, REMB...) at another media source in place, e.g. from the
     * SSRC the subscriber saw to the publisher's. FIR keeps its target SSRCs in entries: see {@link Fir#setEntrySsrc}.
     */
    public static void setMediaSsrc(byte[] b, int off, int ssrc) { Bytes.put32(b, off + 8, ssrc); }
}
