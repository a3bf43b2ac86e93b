package dev.roomdeck.rtp;

/**
 * A reusable, mutable view over one RTP packet (RFC 3550 section 5.1, header extensions RFC 8285) held in
 * someone else's byte array. Nothing is copied: getters read the array, setters write it in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |                             SSRC                              |
 * |                     CSRC list (CC x 32 bits)                  |
 * |      profile (0xBEDE | 0x100x) |    length in 32-bit words     |   only when X
 * |                        extension data ...                     |
 * |                        payload ... [padding, last byte = count]
 * </pre>
 *
 * {@link #wrap} checks every length against the buffer once; after it returned true, every getter and setter
 * stays inside the packet. A view that failed to wrap reports {@link #isValid()} false and must not be read.
 * One view belongs to one thread at a time.
 */
public final class RtpPacket {
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 one-byte header extension profile. */
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** RFC 8285 two-byte header extension profile, upper 12 bits (the low 4 are "appbits"). */
    public static final int PROFILE_TWO_BYTE = 0x1000;

    private byte[] buf;
    private int off;
    private int len;
    private boolean valid;
    private int headerLength;
    private int paddingLength;
    /** Absolute offset of the first extension element (after the 4-byte extension header), or -1. */
    private int extOff = -1;
    /** Bytes of extension elements (length field x 4). */
    private int extLen;
    private int foundExtensionLength;

    /**
     * Points this view at {@code buf[off, off+len)} and validates version, CSRC count, extension block and
     * padding against {@code len}. Returns false (never throws) for anything malformed.
     */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.valid = false;
        this.extOff = -1;
        this.extLen = 0;
        this.headerLength = 0;
        this.paddingLength = 0;
        if (!Bytes.inBounds(buf, off, len) || len < FIXED_HEADER_LENGTH) return false;
        int b0 = buf[off] & 0xFF;
        if ((b0 >>> 6) != 2) return false;
        int h = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if (h > len) return false;
        if ((b0 & 0x10) != 0) {
            if (h + 4 > len) return false;
            int words = Bytes.u16(buf, off + h + 2);
            int ext = 4 * words;
            if (h + 4 + ext > len) return false;
            extOff = off + h + 4;
            extLen = ext;
            h += 4 + ext;
        }
        int pad = 0;
        if ((b0 & 0x20) != 0) {
            if (len == h) return false;
            pad = buf[off + len - 1] & 0xFF;
            // A zero count is invalid (the count byte counts itself); it must not eat into the header.
            if (pad == 0 || pad > len - h) return false;
        }
        headerLength = h;
        paddingLength = pad;
        valid = true;
        return true;
    }

    public boolean isValid() { return valid; }
    public byte[] buffer() { return buf; }
    public int offset() { return off; }
    public int length() { return len; }

    public int version() { return (buf[off] & 0xFF) >>> 6; }
    public boolean hasPadding() { return (buf[off] & 0x20) != 0; }
    public boolean hasExtension() { return (buf[off] & 0x10) != 0; }
    public int csrcCount() { return buf[off] & 0x0F; }
    public boolean marker() { return (buf[off + 1] & 0x80) != 0; }

    public void setMarker(boolean m) {
        buf[off + 1] = (byte) (m ? (buf[off + 1] | 0x80) : (buf[off + 1] & 0x7F));
    }

    public int payloadType() { return buf[off + 1] & 0x7F; }

    /** Rewrites the 7-bit payload type in place, keeping the marker bit. */
    public void setPayloadType(int pt) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (pt & 0x7F));
    }

    public int sequenceNumber() { return Bytes.u16(buf, off + 2); }
    public void setSequenceNumber(int seq) { Bytes.put16(buf, off + 2, seq); }
    /** 32-bit RTP timestamp as a Java int; compare with subtraction, print with Integer.toUnsignedString. */
    public int timestamp() { return Bytes.i32(buf, off + 4); }
    public void setTimestamp(int ts) { Bytes.put32(buf, off + 4, ts); }
    public int ssrc() { return Bytes.i32(buf, off + 8); }
    public void setSsrc(int ssrc) { Bytes.put32(buf, off + 8, ssrc); }

    public int csrc(int i) {
        if (i < 0 || i >= csrcCount()) throw new IndexOutOfBoundsException("csrc " + i);
        return Bytes.i32(buf, off + 12 + 4 * i);
    }

    /** Fixed header + CSRCs + extension block, in bytes. */
    public int headerLength() { return headerLength; }
    public int payloadOffset() { return off + headerLength; }
    /** Payload bytes without the padding. */
    public int payloadLength() { return len - headerLength - paddingLength; }
    public int paddingLength() { return paddingLength; }

    /** The extension profile (0xBEDE, 0x100x or anything else), or -1 without an extension block. */
    public int extensionProfile() {
        return extOff < 0 ? -1 : Bytes.u16(buf, extOff - 4);
    }

    private boolean isOneByte() { return extOff >= 0 && Bytes.u16(buf, extOff - 4) == PROFILE_ONE_BYTE; }
    private boolean isTwoByte() { return extOff >= 0 && (Bytes.u16(buf, extOff - 4) & 0xFFF0) == PROFILE_TWO_BYTE; }

    /**
     * Finds the RFC 8285 element with this id and returns the absolute offset of its data in
     * {@link #buffer()}, or -1 when absent, not RFC 8285, or malformed. The data length is then
     * {@link #foundExtensionLength()}.
     */
    public int findExtension(int id) {
        foundExtensionLength = 0;
        if (!valid || id <= 0) return -1;
        boolean one = isOneByte();
        if (!one && !isTwoByte()) return -1;
        int i = extOff;
        int end = extOff + extLen;
        while (i < end) {
            int b = buf[i] & 0xFF;
            if (b == 0) { i++; continue; } // padding byte between elements
            int eid, elen, dataAt;
            if (one) {
                eid = b >>> 4;
                if (eid == 15) return -1; // reserved: stop parsing
                elen = (b & 0x0F) + 1;
                dataAt = i + 1;
            } else {
                if (i + 1 >= end) return -1;
                eid = b;
                elen = buf[i + 1] & 0xFF;
                dataAt = i + 2;
            }
            if (dataAt + elen > end) return -1;
            if (eid == id) {
                foundExtensionLength = elen;
                return dataAt;
            }
            i = dataAt + elen;
        }
        return -1;
    }

    /** Data length of the element found by the last {@link #findExtension} call. */
    public int foundExtensionLength() { return foundExtensionLength; }

    /** The transport-wide sequence number (2-byte element) under this id, or -1. */
    public int transportSequenceNumber(int id) {
        int at = findExtension(id);
        return at < 0 || foundExtensionLength < 2 ? -1 : Bytes.u16(buf, at);
    }

    /** Overwrites a present transport-wide sequence number element; false when the element is missing. */
    public boolean setTransportSequenceNumber(int id, int seq) {
        int at = findExtension(id);
        if (at < 0 || foundExtensionLength < 2) return false;
        Bytes.put16(buf, at, seq);
        return true;
    }

    /**
     * Overwrites a present abs-send-time element (3 bytes: seconds in 6.18 fixed point, 64 s around) with the time
     * {@code nanos} of a monotonic clock; false when the element is missing.
     */
    public boolean setAbsSendTime(int id, long nanos) {
        int at = findExtension(id);
        if (at < 0 || foundExtensionLength < 3) return false;
        long seconds = nanos / 1_000_000_000L;
        long fraction = ((nanos % 1_000_000_000L) << 18) / 1_000_000_000L;
        int value = (int) ((seconds << 18) + fraction) & 0xFFFFFF;
        buf[at] = (byte) (value >>> 16);
        buf[at + 1] = (byte) (value >>> 8);
        buf[at + 2] = (byte) value;
        return true;
    }

    /**
     * Renumbers header extension elements in place for a receiver that negotiated other ids:
     * an element with id {@code x} gets id {@code map[x]} ({@link ExtensionIdMap#build} makes such maps).
     *
     * <p>Keeping the packet valid: only id fields change, never a length field, so the element layout and
     * the extension block's length stay exactly as they were. Per element:
     * <ul>
     *   <li>{@code map[x]} is a usable id (1..14 in the one-byte form, 1..255 in the two-byte form): the id is
     *   replaced. The map must never send an extension the receiver did not negotiate to an id the receiver
     *   did negotiate (it would parse our bytes as, say, its audio level); if a map keeps such an element at
     *   all, it must be under an id the receiver did not negotiate either, which RFC 8285 says receivers
     *   ignore.</li>
     *   <li>{@code map[x]} is 0, x is outside the map, or the new id does not fit the form (15 or more in the
     *   one-byte form, where 15 means "stop parsing" and would hide the elements after it): the whole element,
     *   id/length byte(s) and data, is overwritten with zero bytes. RFC 8285 allows 0 bytes as padding between
     *   elements in both forms, so the receiver skips them, the packet stays valid and the publisher's value
     *   does not leak. This is the safe default for anything the receiver did not negotiate: unlike a
     *   "spare" id it cannot collide with an id the receiver renegotiates later.</li>
     * </ul>
     * Returns false (elements from the bad one on untouched) when the extension block is malformed or not
     * RFC 8285; true otherwise, also when there is no extension block.
     */
    public boolean rewriteExtensionIds(int[] map) {
        if (!valid) return false;
        if (extOff < 0) return true;
        boolean one = isOneByte();
        if (!one && !isTwoByte()) return false;
        int i = extOff;
        int end = extOff + extLen;
        while (i < end) {
            int b = buf[i] & 0xFF;
            if (b == 0) { i++; continue; }
            int eid, dataAt, elen;
            if (one) {
                eid = b >>> 4;
                if (eid == 15) return true; // receivers stop here too; what follows is not elements
                elen = (b & 0x0F) + 1;
                dataAt = i + 1;
            } else {
                if (i + 1 >= end) return false;
                eid = b;
                elen = buf[i + 1] & 0xFF;
                dataAt = i + 2;
            }
            if (dataAt + elen > end) return false;
            int nid = eid < map.length ? map[eid] : 0;
            if (nid <= 0 || nid > (one ? 14 : 255)) {
                for (int k = i; k < dataAt + elen; k++) buf[k] = 0;
            } else if (one) {
                buf[i] = (byte) ((nid << 4) | (b & 0x0F));
            } else {
                buf[i] = (byte) nid;
            }
            i = dataAt + elen;
        }
        return true;
    }

    /** An identity map for {@link #rewriteExtensionIds}: every id keeps its number. */
    public static int[] identityExtensionMap() {
        int[] m = new int[256];
        for (int i = 0; i < m.length; i++) m[i] = i;
        return m;
    }

    /** RFC 5761 demultiplexing: RTCP packet types 192..223 sit where RTP has marker + PT 64..95. */
    public static boolean looksLikeRtp(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len) || len < FIXED_HEADER_LENGTH) return false;
        if (((buf[off] & 0xFF) >>> 6) != 2) return false;
        int pt = buf[off + 1] & 0xFF;
        return pt < 192 || pt > 223;
    }
}
