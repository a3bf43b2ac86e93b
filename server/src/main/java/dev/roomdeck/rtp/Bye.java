package dev.roomdeck.rtp;

/** BYE reader (RFC 3550 6.6): SC source SSRCs, then an optional reason we ignore. */
public final class Bye {
    private Bye() {}

    public static boolean isValid(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= 4 && Rtcp.packetType(b, off) == Rtcp.PT_BYE
                && len >= 4 + 4 * sourceCount(b, off);
    }

    public static int sourceCount(byte[] b, int off) { return Rtcp.countOrFormat(b, off); }
    public static int ssrc(byte[] b, int off, int i) { return Bytes.i32(b, off + 4 + 4 * i); }
}
