package dev.roomdeck.rtp;

/**
 * Turns a packet into its RFC 4588 retransmission for one receiver of one track: the RTX payload type, the
 * RTX SSRC, the RTX stream's own sequence number, and the original sequence number (OSN) as the first two
 * payload bytes. Everything else (timestamp, marker, CSRCs, header extensions) stays.
 *
 * <p>One writer per (subscriber, track): the RTX sequence space is what one receiver sees, so it must not be
 * shared between receivers. Not thread-safe; use it from the thread that answers that subscriber's NACKs.
 */
public final class RtxWriter {
    private final RtpPacket view = new RtpPacket();
    private int rtxPayloadType;
    private int rtxSsrc;
    private int nextSeq;

    public RtxWriter(int rtxPayloadType, int rtxSsrc, int firstSeq) {
        this.rtxPayloadType = rtxPayloadType;
        this.rtxSsrc = rtxSsrc;
        this.nextSeq = firstSeq & 0xFFFF;
    }

    /**
     * Rewrites the packet at {@code buf[off, off+len)} into RTX in place and returns the new length
     * ({@code len + 2 - padding}), or -1 when it is not valid RTP or {@code buf} has no 2 spare bytes after it.
     * Padding is dropped: it was only there to fill the original.
     */
    public int toRtxInPlace(byte[] buf, int off, int len) {
        if (!view.wrap(buf, off, len)) return -1;
        int payloadLen = view.payloadLength();
        int newLen = view.headerLength() + 2 + payloadLen;
        if (newLen > buf.length - off) return -1;
        int payloadAt = view.payloadOffset();
        int osn = view.sequenceNumber();
        System.arraycopy(buf, payloadAt, buf, payloadAt + 2, payloadLen);
        Bytes.put16(buf, payloadAt, osn);
        buf[off] = (byte) (buf[off] & ~0x20);
        view.setPayloadType(rtxPayloadType);
        view.setSsrc(rtxSsrc);
        view.setSequenceNumber(nextSeq);
        nextSeq = (nextSeq + 1) & 0xFFFF;
        return newLen;
    }

    /** The sequence number the next RTX packet will get. */
    public int nextSequenceNumber() { return nextSeq; }

    /**
     * Undoes RTX in place for a packet a publisher retransmitted: OSN back into the header, the 2 bytes removed,
     * original payload type and SSRC restored. Returns the new length, or -1 when it is not RTP with an OSN.
     */
    public static int restoreOriginal(RtpPacket rtx, int originalPayloadType, int originalSsrc) {
        if (!rtx.isValid() || rtx.payloadLength() < 2) return -1;
        byte[] buf = rtx.buffer();
        int off = rtx.offset();
        int payloadAt = rtx.payloadOffset();
        int osn = Bytes.u16(buf, payloadAt);
        int rest = rtx.length() - (payloadAt - off) - 2; // payload after the OSN, with any padding
        System.arraycopy(buf, payloadAt + 2, buf, payloadAt, rest);
        rtx.setSequenceNumber(osn);
        rtx.setPayloadType(originalPayloadType);
        rtx.setSsrc(originalSsrc);
        int newLen = rtx.length() - 2;
        rtx.wrap(buf, off, newLen);
        return newLen;
    }

    public void setRtxPayloadType(int pt) { this.rtxPayloadType = pt; }
    public void setRtxSsrc(int ssrc) { this.rtxSsrc = ssrc; }
}
