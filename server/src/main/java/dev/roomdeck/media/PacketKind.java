package dev.roomdeck.media;

/** Tells datagrams on one 5-tuple apart by their first byte (RFC 7983; RTP vs RTCP by RFC 5761). */
final class PacketKind {
    static final int OTHER = 0;
    static final int DTLS = 1;
    static final int RTP = 2;
    static final int RTCP = 3;

    private PacketKind() {
    }

    static int of(byte[] buf, int off, int len) {
        if (len < 1) {
            return OTHER;
        }
        int first = buf[off] & 0xff;
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (len < 2) {
                return OTHER;
            }
            // RTCP packet types 192..223 look like an RTP marker bit plus payload type 64..95 (never used for RTP).
            int type = buf[off + 1] & 0x7f;
            return type >= 64 && type <= 95 ? RTCP : RTP;
        }
        return OTHER;
    }
}
