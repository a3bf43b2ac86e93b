package dev.roomdeck.client;

import java.util.Arrays;

/**
 * VP8 RTP payloads without an encoder: the payload descriptor of RFC 7741 section 4.2 as Chrome writes it for
 * simulcast (X=1; I=1 with a 15-bit picture id; L=1 TL0PICIDX; T=1 TID), and on the first packet of a frame the
 * start of the VP8 frame (RFC 6386 section 9.1): the 3-byte frame tag whose P bit says keyframe (0) or not, and
 * for a keyframe the start code 9d 01 2a and the 14-bit width and height. The rest is filler: enough for an SFU,
 * which reads only these fields, nothing a decoder could show.
 */
public final class SyntheticVp8 {
    /** X, S, PID / I L T / M + picture id (2) / TL0PICIDX / TID Y KEYIDX. */
    public static final int DESCRIPTOR_LENGTH = 6;
    /** Frame tag (3), start code (3), width (2), height (2). */
    public static final int KEYFRAME_HEADER_LENGTH = 10;

    private SyntheticVp8() {
    }

    /**
     * One packet's payload of {@code length} bytes (at least {@value #DESCRIPTOR_LENGTH} +
     * {@value #KEYFRAME_HEADER_LENGTH}): {@code startOfFrame} sets S (partition 0 begins here) and writes the frame
     * tag, a keyframe's with its size; {@code temporalId} 0 is the base layer, {@code layerSync} the Y bit.
     */
    public static byte[] payload(int length, boolean startOfFrame, boolean keyframe, int pictureId, int tl0PicIdx,
                                 int temporalId, boolean layerSync, int width, int height, byte filler) {
        if (length < DESCRIPTOR_LENGTH + KEYFRAME_HEADER_LENGTH) {
            throw new IllegalArgumentException("a VP8 payload this short has no room for a keyframe header: " + length);
        }
        byte[] p = new byte[length];
        Arrays.fill(p, filler);
        p[0] = (byte) (0x80 | (startOfFrame ? 0x10 : 0)); // X, S, PID 0
        p[1] = (byte) 0xE0; // I, L, T
        p[2] = (byte) (0x80 | (pictureId >>> 8) & 0x7F); // M: 15-bit picture id
        p[3] = (byte) pictureId;
        p[4] = (byte) tl0PicIdx;
        p[5] = (byte) ((temporalId & 3) << 6 | (layerSync ? 0x20 : 0));
        if (startOfFrame) {
            int at = DESCRIPTOR_LENGTH;
            // Frame tag, little-endian: P (0 = keyframe), version 0, show_frame 1, first partition size.
            int tag = (keyframe ? 0 : 1) | 1 << 4 | (length - at - KEYFRAME_HEADER_LENGTH) << 5;
            p[at] = (byte) tag;
            p[at + 1] = (byte) (tag >>> 8);
            p[at + 2] = (byte) (tag >>> 16);
            if (keyframe) {
                p[at + 3] = (byte) 0x9d;
                p[at + 4] = (byte) 0x01;
                p[at + 5] = (byte) 0x2a;
                p[at + 6] = (byte) width; // 14 bits of size, 2 of scaling (0)
                p[at + 7] = (byte) (width >>> 8 & 0x3F);
                p[at + 8] = (byte) height;
                p[at + 9] = (byte) (height >>> 8 & 0x3F);
            }
        }
        return p;
    }
}
