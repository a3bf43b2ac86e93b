package dev.roomdeck.rtp;

/**
 * Keyframe detection in H.264 RTP payloads (RFC 6184, packetization modes 0 and 1). The payload,
 * {@code buf[off, off+len)}, starts with a NAL unit header {@code |F|NRI|Type|}; its type says whether it is
 * a single NAL unit (1..23), an aggregation of several (STAP-A, 24) or a fragment of one (FU-A, 28). Nothing
 * throws, nothing allocates.
 */
public final class H264Payload {
    private static final int IDR = 5;
    private static final int SPS = 7;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    private static final int TYPE = 0x1F;
    /** FU header {@code |S|E|R|Type|}: S marks the fragment that starts the NAL unit. */
    private static final int FU_START = 0x80;

    private H264Payload() {}

    /**
     * True when the payload carries the start of an IDR slice or an SPS: the NAL unit itself, one of a
     * STAP-A's units, or the first fragment of an FU-A. An SPS counts because encoders send it right before
     * the IDR picture it describes, often in the same packet. A STAP-A whose sizes run past the payload is
     * malformed and says false.
     */
    public static boolean isKeyframe(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len) || len < 1) return false;
        int type = buf[off] & TYPE;
        if (type == STAP_A) return stapAHasKeyframe(buf, off, len);
        if (type == FU_A) {
            return len >= 2 && (buf[off + 1] & FU_START) != 0 && isKeyframeNal(buf[off + 1] & TYPE);
        }
        return isKeyframeNal(type);
    }

    /** STAP-A: after its own header byte, units each prefixed by a 16-bit size. */
    private static boolean stapAHasKeyframe(byte[] buf, int off, int len) {
        boolean found = false;
        int i = 1;
        while (i < len) {
            if (len - i < 2) return false;
            int size = Bytes.u16(buf, off + i);
            i += 2;
            if (size == 0 || size > len - i) return false;
            if (isKeyframeNal(buf[off + i] & TYPE)) found = true;
            i += size;
        }
        return found;
    }

    private static boolean isKeyframeNal(int type) {
        return type == IDR || type == SPS;
    }
}
