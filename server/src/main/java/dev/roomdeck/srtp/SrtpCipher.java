package dev.roomdeck.srtp;

/**
 * One direction's SRTP and SRTCP transform under one suite's session keys. Packets are changed in place; a
 * protected packet grows by {@link #rtpOverhead()} or {@link #rtcpOverhead()} bytes, for which the caller's buffer
 * has room. Which index a packet has is the caller's to say ({@link RolloverCounter}; SRTCP's own counter), and so
 * are replay checks. Not thread-safe: one thread at a time per direction.
 */
public abstract class SrtpCipher {
    /** Returned instead of a length when a packet cannot be protected, or is not genuine. */
    public static final int FAILED = -1;

    /** Bytes {@link #protectRtp} adds: the tag. */
    public abstract int rtpOverhead();

    /** Bytes {@link #protectRtcp} adds: the tag and the E flag with the SRTCP index. */
    public abstract int rtcpOverhead();

    /**
     * Encrypts the payload of the RTP packet {@code buf[off, off + len)} (its header, {@code headerLength} bytes, is
     * authenticated, not encrypted) and appends the tag. {@code index}: the packet's 48-bit index. Returns the new
     * length, or {@link #FAILED}.
     */
    public abstract int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /** Checks the tag and decrypts; the plain length, or {@link #FAILED} when the packet is not genuine. */
    public abstract int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /** Encrypts an RTCP compound packet, appends E flag, 31-bit {@code index} and tag; the new length or FAILED. */
    public abstract int protectRtcp(byte[] buf, int off, int len, int ssrc, int index);

    /** The E flag (bit 31) and SRTCP index of a protected packet, read before any crypto; -1 when too short. */
    public abstract long rtcpIndex(byte[] buf, int off, int len);

    /** Checks and (if its E flag says so) decrypts an SRTCP packet; the plain length, or {@link #FAILED}. */
    public abstract int unprotectRtcp(byte[] buf, int off, int len, int ssrc);

    /** The length of an RTP header (fixed part, CSRCs, extension), or -1 when it does not fit in {@code len}. */
    public static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < 12) {
            return -1;
        }
        int h = 12 + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (h + 4 > len) {
                return -1;
            }
            h += 4 + 4 * ((buf[off + h + 2] & 0xff) << 8 | (buf[off + h + 3] & 0xff));
        }
        return h <= len ? h : -1;
    }

    /** Compares without an early exit, so the time taken says nothing of where a forged tag went wrong. */
    static boolean sameBytes(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** XORs the big-endian {@code v} over {@code b[off, off + 4)}: how SRTP's IVs mix SSRCs and indexes into salts. */
    static void xorInt(byte[] b, int off, int v) {
        b[off] ^= (byte) (v >>> 24);
        b[off + 1] ^= (byte) (v >>> 16);
        b[off + 2] ^= (byte) (v >>> 8);
        b[off + 3] ^= (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
