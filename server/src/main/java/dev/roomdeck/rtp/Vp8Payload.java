package dev.roomdeck.rtp;

/**
 * Reads and rewrites the VP8 payload descriptor (RFC 7741 section 4.2) at the start of an RTP payload, and the
 * keyframe header of the VP8 data after it. Every method takes the RTP payload, {@code buf[off, off+len)}
 * ({@link RtpPacket#payloadOffset()}, {@link RtpPacket#payloadLength()}), checks the lengths it needs and
 * answers false or -1 for anything that does not fit: nothing throws, nothing allocates.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      |X|R|N|S|R| PID |   always
 *   X: |I|L|T|K| RSV   |   when X
 *   I: |M| PictureID   |   when I; M=1 means a second byte, a 15-bit picture id
 *      |   PictureID   |
 *   L: |   TL0PICIDX   |   when L
 * T/K: |TID|Y| KEYIDX  |   when T or K
 * </pre>
 *
 * Rewriting keeps every field's length, so the payload never moves.
 */
public final class Vp8Payload {
    private static final int X = 0x80;
    private static final int S = 0x10;
    private static final int PID = 0x07;
    private static final int I = 0x80;
    private static final int L = 0x40;
    private static final int T = 0x20;
    private static final int K = 0x10;
    private static final int M = 0x80;
    private static final int Y = 0x20;
    /** Frame tag (3 bytes), start code (3), width (2), height (2): RFC 6386 section 9.1. */
    private static final int KEYFRAME_HEADER_LENGTH = 10;

    private Vp8Payload() {}

    /** True when the whole descriptor lies inside the payload. */
    public static boolean isValid(byte[] buf, int off, int len) {
        return descriptorLength(buf, off, len) > 0;
    }

    /** Bytes of the payload descriptor (1 to 6), or -1 when it does not fit in {@code len}. */
    public static int descriptorLength(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len) || len < 1) return -1;
        if ((buf[off] & X) == 0) return 1;
        if (len < 2) return -1;
        int x = buf[off + 1];
        int n = 2;
        if ((x & I) != 0) {
            if (n >= len) return -1; // the M bit says how long the picture id is
            n += (buf[off + n] & M) != 0 ? 2 : 1;
        }
        if ((x & L) != 0) n++;
        if ((x & (T | K)) != 0) n++;
        return n <= len ? n : -1;
    }

    /** The first packet of a frame: S set on partition 0. */
    public static boolean isStartOfFrame(byte[] buf, int off, int len) {
        return isValid(buf, off, len) && (buf[off] & S) != 0 && (buf[off] & PID) == 0;
    }

    /**
     * The first packet of a keyframe: start of frame, and the P bit (the frame tag's lowest bit, RFC 7741
     * section 4.3) is 0. Only the first packet carries the frame tag, so later packets of a keyframe say false.
     */
    public static boolean isKeyframe(byte[] buf, int off, int len) {
        if (!isStartOfFrame(buf, off, len)) return false;
        int n = descriptorLength(buf, off, len);
        return n < len && (buf[off + n] & 0x01) == 0;
    }

    /** A keyframe's width in pixels (the scaling bits left out), or -1. */
    public static int width(byte[] buf, int off, int len) {
        int at = keyframeHeader(buf, off, len);
        return at < 0 ? -1 : size14(buf, at + 6);
    }

    /** A keyframe's height in pixels (the scaling bits left out), or -1. */
    public static int height(byte[] buf, int off, int len) {
        int at = keyframeHeader(buf, off, len);
        return at < 0 ? -1 : size14(buf, at + 8);
    }

    public static boolean hasPictureId(byte[] buf, int off, int len) {
        return field(buf, off, len, I) > 0;
    }

    /** The 7- or 15-bit picture id, or -1 when absent. */
    public static int pictureId(byte[] buf, int off, int len) {
        int at = field(buf, off, len, I);
        if (at < 0) return -1;
        int b = buf[off + at] & 0xFF;
        return (b & M) != 0 ? Bytes.u16(buf, off + at) & 0x7FFF : b;
    }

    public static boolean pictureIdIs15Bit(byte[] buf, int off, int len) {
        int at = field(buf, off, len, I);
        return at > 0 && (buf[off + at] & M) != 0;
    }

    /**
     * Overwrites the picture id in the field's own length: modulo 128 in a 7-bit field, 32768 in a 15-bit one
     * (what a receiver expects when the id wraps). Does nothing when there is no picture id.
     */
    public static void setPictureId(byte[] buf, int off, int len, int value) {
        int at = field(buf, off, len, I);
        if (at < 0) return;
        if ((buf[off + at] & M) != 0) {
            Bytes.put16(buf, off + at, M << 8 | (value & 0x7FFF));
        } else {
            buf[off + at] = (byte) (value & 0x7F);
        }
    }

    /** The TL0PICIDX (0..255), or -1 when absent. */
    public static int tl0PicIdx(byte[] buf, int off, int len) {
        int at = field(buf, off, len, L);
        return at < 0 ? -1 : buf[off + at] & 0xFF;
    }

    /** Overwrites the TL0PICIDX (modulo 256); does nothing when absent. */
    public static void setTl0PicIdx(byte[] buf, int off, int len, int value) {
        int at = field(buf, off, len, L);
        if (at > 0) buf[off + at] = (byte) value;
    }

    /** The temporal layer id (0..3), or -1 when absent: no T/K byte, or T clear (TID is then to be ignored). */
    public static int temporalId(byte[] buf, int off, int len) {
        int at = field(buf, off, len, T);
        return at < 0 ? -1 : (buf[off + at] & 0xFF) >>> 6;
    }

    /** The Y bit: this frame depends only on the base layer's frames (a switch-up point); false without TID. */
    public static boolean layerSync(byte[] buf, int off, int len) {
        int at = field(buf, off, len, T);
        return at > 0 && (buf[off + at] & Y) != 0;
    }

    /**
     * Offset from {@code off} of the optional field that {@code flag} announces in the X byte (I, L, or T for
     * the T/K byte, which is only worth reading for its TID when T is set), or -1 when it is absent or the
     * descriptor does not fit. Fields come in the order I, L, T/K.
     */
    private static int field(byte[] buf, int off, int len, int flag) {
        if (descriptorLength(buf, off, len) < 0 || (buf[off] & X) == 0) return -1;
        int x = buf[off + 1];
        if ((x & flag) == 0) return -1;
        int n = 2;
        if (flag == I) return n;
        if ((x & I) != 0) n += (buf[off + n] & M) != 0 ? 2 : 1;
        if (flag == L) return n;
        if ((x & L) != 0) n++;
        return n;
    }

    /** Absolute offset of a keyframe's frame tag when the whole 10-byte header and its start code are there, or -1. */
    private static int keyframeHeader(byte[] buf, int off, int len) {
        if (!isKeyframe(buf, off, len)) return -1;
        int n = descriptorLength(buf, off, len);
        if (len - n < KEYFRAME_HEADER_LENGTH) return -1;
        int at = off + n;
        if (Bytes.u24(buf, at + 3) != 0x9D012A) return -1;
        return at;
    }

    /** Little-endian 16 bits, of which the top 2 are the scaling mode. */
    private static int size14(byte[] buf, int i) {
        return ((buf[i] & 0xFF) | (buf[i + 1] & 0xFF) << 8) & 0x3FFF;
    }
}
