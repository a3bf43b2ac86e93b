package dev.roomdeck.rtp;

/** Picture Loss Indication (RFC 4585 6.3.1): PSFB, FMT 1, no FCI. 12 bytes. */
public final class Pli {
    private Pli() {}

    public static final int LENGTH = 12;

    public static boolean isValid(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= LENGTH && Rtcp.packetType(b, off) == Rtcp.PT_PSFB
                && Rtcp.countOrFormat(b, off) == Rtcp.FMT_PLI;
    }

    public static int write(byte[] out, int off, int senderSsrc, int mediaSsrc) {
        Rtcp.writeHeader(out, off, Rtcp.FMT_PLI, Rtcp.PT_PSFB, LENGTH);
        Bytes.put32(out, off + 4, senderSsrc);
        Bytes.put32(out, off + 8, mediaSsrc);
        return LENGTH;
    }
}
