package dev.roomdeck.rtp;

/**
 * Full Intra Request (RFC 5104 4.3.1): PSFB, FMT 4, media SSRC field 0, then 8-byte entries
 * <pre>| SSRC of the encoder asked | seq nr (8 bits) | reserved (24) |</pre>
 * The sequence number must change with every new request from the same sender; a repeat with the same
 * number is a retransmission of the same request.
 */
public final class Fir {
    private Fir() {}

    public static final int HEADER_END = 12;
    public static final int ENTRY_LENGTH = 8;
    public static final int LENGTH_ONE_ENTRY = HEADER_END + ENTRY_LENGTH;

    public static boolean isValid(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= LENGTH_ONE_ENTRY && Rtcp.packetType(b, off) == Rtcp.PT_PSFB
                && Rtcp.countOrFormat(b, off) == Rtcp.FMT_FIR;
    }

    public static int entryCount(int len) { return Math.max(0, (len - HEADER_END) / ENTRY_LENGTH); }
    public static int entrySsrc(byte[] b, int off, int i) { return Bytes.i32(b, off + HEADER_END + ENTRY_LENGTH * i); }
    public static int entrySeqNr(byte[] b, int off, int i) { return b[off + HEADER_END + ENTRY_LENGTH * i + 4] & 0xFF; }
    /** Retargets entry {@code i} in place (subscriber's view of the SSRC to the publisher's). */
    public static void setEntrySsrc(byte[] b, int off, int i, int ssrc) { Bytes.put32(b, off + HEADER_END + ENTRY_LENGTH * i, ssrc); }

    /** Writes a FIR with one entry; returns 20. */
    public static int write(byte[] out, int off, int senderSsrc, int targetSsrc, int seqNr) {
        Rtcp.writeHeader(out, off, Rtcp.FMT_FIR, Rtcp.PT_PSFB, LENGTH_ONE_ENTRY);
        Bytes.put32(out, off + 4, senderSsrc);
        Bytes.put32(out, off + 8, 0);
        Bytes.put32(out, off + 12, targetSsrc);
        out[off + 16] = (byte) seqNr;
        out[off + 17] = 0;
        out[off + 18] = 0;
        out[off + 19] = 0;
        return LENGTH_ONE_ENTRY;
    }
}
