package dev.roomdeck.rtp;

import java.nio.charset.StandardCharsets;

/**
 * SDES (RFC 3550 6.5). Incoming SDES is skipped by the SFU (the iterator steps over it); this class only
 * writes the single CNAME chunk a compound report should carry.
 */
public final class Sdes {
    private Sdes() {}

    private static final int ITEM_CNAME = 1;

    /** Length {@link #writeCname} will use for a CNAME of {@code cnameBytes} UTF-8 bytes. */
    public static int cnameLength(int cnameBytes) {
        // header 4 + ssrc 4 + type 1 + len 1 + text + at least one 0 terminator, padded to 32 bits
        return (4 + 4 + 2 + cnameBytes + 1 + 3) & ~3;
    }

    /** Writes SDES with one chunk (ssrc, CNAME); returns its length. Pre-encode the CNAME once per stream. */
    public static int writeCname(byte[] out, int off, int ssrc, byte[] cnameUtf8) {
        if (cnameUtf8.length > 255) throw new IllegalArgumentException("CNAME longer than 255 bytes");
        int len = cnameLength(cnameUtf8.length);
        Rtcp.writeHeader(out, off, 1, Rtcp.PT_SDES, len);
        Bytes.put32(out, off + 4, ssrc);
        out[off + 8] = ITEM_CNAME;
        out[off + 9] = (byte) cnameUtf8.length;
        System.arraycopy(cnameUtf8, 0, out, off + 10, cnameUtf8.length);
        for (int i = off + 10 + cnameUtf8.length; i < off + len; i++) out[i] = 0;
        return len;
    }

    public static byte[] cname(String cname) { return cname.getBytes(StandardCharsets.UTF_8); }
}
