package dev.roomdeck.rtp;

/**
 * Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03): PSFB, FMT 15 (application layer),
 * media SSRC 0, then
 * <pre>
 * |  'R' 'E' 'M' 'B'                                              |
 * |  Num SSRC     | BR Exp    |  BR Mantissa (18 bits)            |
 * |   SSRC feedback ... (Num SSRC of them)                        |
 * </pre>
 * bitrate = mantissa * 2^exp bits per second.
 */
public final class Remb {
    private Remb() {}

    public static final int HEADER_END = 20;
    private static final int MAX_MANTISSA = 0x3FFFF;

    /** PSFB FMT 15 with the 'REMB' identifier. */
    public static boolean isRemb(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= HEADER_END && Rtcp.packetType(b, off) == Rtcp.PT_PSFB
                && Rtcp.countOrFormat(b, off) == Rtcp.FMT_AFB
                && b[off + 12] == 'R' && b[off + 13] == 'E' && b[off + 14] == 'M' && b[off + 15] == 'B';
    }

    /** {@link #isRemb} and room for every SSRC the packet announces. */
    public static boolean isValid(byte[] b, int off, int len) {
        return isRemb(b, off, len) && len >= HEADER_END + 4 * ssrcCount(b, off);
    }

    public static int ssrcCount(byte[] b, int off) { return b[off + 16] & 0xFF; }
    public static int ssrc(byte[] b, int off, int i) { return Bytes.i32(b, off + HEADER_END + 4 * i); }

    /** The bitrate in bits per second, saturating at Long.MAX_VALUE for absurd exponents. */
    public static long bitrate(byte[] b, int off) {
        int exp = (b[off + 17] & 0xFF) >>> 2;
        long mantissa = ((b[off + 17] & 0x03L) << 16) | ((b[off + 18] & 0xFFL) << 8) | (b[off + 19] & 0xFFL);
        if (mantissa != 0 && exp > 63 - 18 && mantissa > (Long.MAX_VALUE >>> exp)) return Long.MAX_VALUE;
        return mantissa << exp;
    }

    public static int length(int ssrcCount) { return HEADER_END + 4 * ssrcCount; }

    /**
     * Writes a REMB for {@code ssrcs[0..count)} (at most 255) and returns its length. The bitrate is rounded
     * down to what 18 bits of mantissa can say, so a cap is never exceeded.
     */
    public static int write(byte[] out, int off, int senderSsrc, long bitsPerSecond, int[] ssrcs, int count) {
        if (count < 0 || count > 255) throw new IllegalArgumentException("REMB ssrc count: " + count);
        long mantissa = Math.max(0, bitsPerSecond);
        int exp = 0;
        while (mantissa > MAX_MANTISSA) {
            mantissa >>>= 1;
            exp++;
        }
        int len = length(count);
        Rtcp.writeHeader(out, off, Rtcp.FMT_AFB, Rtcp.PT_PSFB, len);
        Bytes.put32(out, off + 4, senderSsrc);
        Bytes.put32(out, off + 8, 0);
        out[off + 12] = 'R';
        out[off + 13] = 'E';
        out[off + 14] = 'M';
        out[off + 15] = 'B';
        out[off + 16] = (byte) count;
        out[off + 17] = (byte) ((exp << 2) | (int) (mantissa >>> 16));
        Bytes.put16(out, off + 18, (int) mantissa);
        for (int i = 0; i < count; i++) Bytes.put32(out, off + HEADER_END + 4 * i, ssrcs[i]);
        return len;
    }
}
