package dev.roomdeck.rtp;

/**
 * Reads the VP9 payload descriptor (RFC 9628 section 4.2) at the start of an RTP payload and rewrites its
 * picture id. Methods take the RTP payload, {@code buf[off, off+len)}, check the lengths they need and answer
 * false or -1 for anything that does not fit: nothing throws, nothing allocates.
 *
 * <pre>
 *        0 1 2 3 4 5 6 7
 *       |I|P|L|F|B|E|V|Z|   always
 *   I:  |M| PICTURE ID  |   when I; M=1 means a second byte, a 15-bit picture id
 *   M:  | EXTENDED PID  |
 *   L:  | TID |U| SID |D|   when L
 *       |   TL0PICIDX   |   when L and not F (non-flexible mode)
 *  P,F: | P_DIFF      |N|   when P and F, up to 3 times, N=1 announcing another
 *   V:  | SS ...        |   scalability structure, when V
 * </pre>
 */
public final class Vp9Payload {
    private static final int I = 0x80;
    private static final int P = 0x40;
    private static final int L = 0x20;
    private static final int F = 0x10;
    private static final int B = 0x08;
    private static final int V = 0x02;
    private static final int M = 0x80;
    /** In the SS byte: widths and heights present, picture group description present. */
    private static final int SS_Y = 0x10;
    private static final int SS_G = 0x08;
    private static final int MAX_P_DIFFS = 3;

    private Vp9Payload() {}

    /** True when the whole descriptor, scalability structure included, lies inside the payload. */
    public static boolean isValid(byte[] buf, int off, int len) {
        return descriptorLength(buf, off, len) > 0;
    }

    /** Bytes of the payload descriptor, or -1 when it does not fit in {@code len} or is malformed. */
    public static int descriptorLength(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len) || len < 1) return -1;
        int b0 = buf[off];
        int n = 1;
        if ((b0 & I) != 0) {
            if (n >= len) return -1;
            n += (buf[off + n] & M) != 0 ? 2 : 1;
        }
        if ((b0 & L) != 0) n += (b0 & F) != 0 ? 1 : 2;
        if ((b0 & F) != 0 && (b0 & P) != 0) {
            for (int k = 0; ; k++) {
                if (k == MAX_P_DIFFS || n >= len) return -1; // a fourth reference, or cut short
                boolean more = (buf[off + n] & 0x01) != 0;
                n++;
                if (!more) break;
            }
        }
        if ((b0 & V) != 0) {
            if (n >= len) return -1;
            int ss = buf[off + n] & 0xFF;
            n++;
            int spatialLayers = (ss >>> 5) + 1;
            if ((ss & SS_Y) != 0) n += 4 * spatialLayers; // 16-bit width and height per layer
            if ((ss & SS_G) != 0) {
                if (n >= len) return -1;
                int pictures = buf[off + n] & 0xFF;
                n++;
                for (int g = 0; g < pictures; g++) {
                    if (n >= len) return -1;
                    int references = (buf[off + n] >>> 2) & 0x03; // | TID |U| R |-|-|
                    n += 1 + references;
                }
            }
        }
        return n <= len ? n : -1;
    }

    /** B: the first packet of a layer frame. */
    public static boolean isStartOfFrame(byte[] buf, int off, int len) {
        return isValid(buf, off, len) && (buf[off] & B) != 0;
    }

    /**
     * The first packet of a keyframe: start of a frame that does not predict from earlier pictures (P=0), in the
     * lowest spatial layer when layer indices are present (a higher layer's frame with P=0 still needs the
     * layers below it).
     */
    public static boolean isKeyframe(byte[] buf, int off, int len) {
        if (!isStartOfFrame(buf, off, len) || (buf[off] & P) != 0) return false;
        int sid = spatialId(buf, off, len);
        return sid <= 0;
    }

    public static boolean hasPictureId(byte[] buf, int off, int len) {
        return isValid(buf, off, len) && (buf[off] & I) != 0;
    }

    /** The 7- or 15-bit picture id, or -1 when absent. */
    public static int pictureId(byte[] buf, int off, int len) {
        if (!hasPictureId(buf, off, len)) return -1;
        int b = buf[off + 1] & 0xFF;
        return (b & M) != 0 ? Bytes.u16(buf, off + 1) & 0x7FFF : b;
    }

    public static boolean pictureIdIs15Bit(byte[] buf, int off, int len) {
        return hasPictureId(buf, off, len) && (buf[off + 1] & M) != 0;
    }

    /** Overwrites the picture id in the field's own length (modulo 128 or 32768); nothing when absent. */
    public static void setPictureId(byte[] buf, int off, int len, int value) {
        if (!hasPictureId(buf, off, len)) return;
        if ((buf[off + 1] & M) != 0) {
            Bytes.put16(buf, off + 1, M << 8 | (value & 0x7FFF));
        } else {
            buf[off + 1] = (byte) (value & 0x7F);
        }
    }

    /** TID (0..7), or -1 without layer indices. */
    public static int temporalId(byte[] buf, int off, int len) {
        int at = layerIndices(buf, off, len);
        return at < 0 ? -1 : (buf[at] & 0xFF) >>> 5;
    }

    /** SID (0..7), or -1 without layer indices. */
    public static int spatialId(byte[] buf, int off, int len) {
        int at = layerIndices(buf, off, len);
        return at < 0 ? -1 : (buf[at] >>> 1) & 0x07;
    }

    /** Absolute offset of the | TID |U| SID |D| byte, or -1. */
    private static int layerIndices(byte[] buf, int off, int len) {
        if (!isValid(buf, off, len) || (buf[off] & L) == 0) return -1;
        if ((buf[off] & I) == 0) return off + 1;
        return off + ((buf[off + 1] & M) != 0 ? 3 : 2);
    }
}
