package dev.roomdeck.rtp;

/**
 * Walks the packets of a compound RTCP datagram without copying. Reusable: {@link #reset} then
 * {@code while (it.next()) switch (it.packetType()) ...}.
 *
 * <p>Each packet's header is checked before it is yielded: version 2, a length that fits what is left of the
 * datagram, and a padding count that fits the packet. The first malformed packet ends the walk and sets
 * {@link #malformed()}; packets already yielded stay valid. Type-specific size checks are the readers'
 * ({@code SenderReport.isValid} and friends).
 */
public final class RtcpIterator {
    private byte[] buf;
    private int pos;
    private int end;
    private int cur = -1;
    private int curLen;
    private int curPadding;
    private boolean malformed;

    public RtcpIterator reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.cur = -1;
        this.curLen = 0;
        this.curPadding = 0;
        if (!Bytes.inBounds(buf, off, len)) {
            this.pos = 0;
            this.end = 0;
            this.malformed = true;
        } else {
            this.pos = off;
            this.end = off + len;
            this.malformed = len < Rtcp.HEADER_LENGTH;
        }
        return this;
    }

    /** Moves to the next packet; false at the end or at the first malformed packet. */
    public boolean next() {
        cur = -1;
        if (malformed || end - pos < Rtcp.HEADER_LENGTH) return false;
        int b0 = buf[pos] & 0xFF;
        int total = Rtcp.packetLength(buf, pos);
        if ((b0 >>> 6) != 2 || total > end - pos) {
            malformed = true;
            return false;
        }
        int pad = 0;
        if ((b0 & 0x20) != 0) {
            pad = buf[pos + total - 1] & 0xFF;
            if (pad == 0 || pad > total - Rtcp.HEADER_LENGTH) {
                malformed = true;
                return false;
            }
        }
        cur = pos;
        curLen = total;
        curPadding = pad;
        pos += total;
        return true;
    }

    public boolean malformed() { return malformed; }
    public byte[] buffer() { return buf; }
    /** Offset of the current packet's first byte. */
    public int offset() { return cur; }
    /** Bytes of the current packet including header and padding. */
    public int length() { return curLen; }
    /** Bytes of the current packet without trailing padding: what the type-specific readers should be given. */
    public int contentLength() { return curLen - curPadding; }
    public int packetType() { return Rtcp.packetType(buf, cur); }
    /** Report count for SR/RR/SDES/BYE, feedback message type (FMT) for RTPFB/PSFB. */
    public int countOrFormat() { return Rtcp.countOrFormat(buf, cur); }

    public boolean isSenderReport() { return packetType() == Rtcp.PT_SR; }
    public boolean isReceiverReport() { return packetType() == Rtcp.PT_RR; }
    public boolean isNack() { return packetType() == Rtcp.PT_RTPFB && countOrFormat() == Rtcp.FMT_NACK; }
    public boolean isTransportCc() { return packetType() == Rtcp.PT_RTPFB && countOrFormat() == Rtcp.FMT_TRANSPORT_CC; }
    public boolean isPli() { return packetType() == Rtcp.PT_PSFB && countOrFormat() == Rtcp.FMT_PLI; }
    public boolean isFir() { return packetType() == Rtcp.PT_PSFB && countOrFormat() == Rtcp.FMT_FIR; }
    public boolean isRemb() { return Remb.isRemb(buf, cur, contentLength()); }
}
