package dev.roomdeck.load;

/**
 * What the generator writes into every RTP payload so that any receiver can tell, without the sender's help,
 * which stream a packet belongs to (servers may rewrite SSRCs and sequence numbers), in which measurement
 * window it was sent, and when (System.nanoTime of the sending JVM, which is the receiving JVM).
 *
 * <p>Layout from payload offset {@value #OFFSET} (behind a VP8 descriptor and keyframe header):
 * magic (2 bytes), window (1), stream index (4), send time in ns (8).
 */
final class Stamp {
    static final int OFFSET = 16;
    static final int LENGTH = 15;
    /** Smallest payload that carries a stamp. */
    static final int MIN_PAYLOAD = OFFSET + LENGTH;
    private static final int MAGIC = 0x52_44; // "RD"

    private Stamp() {
    }

    static void write(byte[] p, int payloadOffset, int window, int stream, long sentNanos) {
        int at = payloadOffset + OFFSET;
        p[at] = (byte) (MAGIC >>> 8);
        p[at + 1] = (byte) MAGIC;
        p[at + 2] = (byte) window;
        p[at + 3] = (byte) (stream >>> 24);
        p[at + 4] = (byte) (stream >>> 16);
        p[at + 5] = (byte) (stream >>> 8);
        p[at + 6] = (byte) stream;
        for (int i = 0; i < 8; i++) {
            p[at + 7 + i] = (byte) (sentNanos >>> (56 - 8 * i));
        }
    }

    static boolean present(byte[] p, int payloadOffset, int payloadLength) {
        int at = payloadOffset + OFFSET;
        return payloadLength >= MIN_PAYLOAD && (p[at] & 0xFF) == (MAGIC >>> 8) && (p[at + 1] & 0xFF) == (MAGIC & 0xFF);
    }

    static int window(byte[] p, int payloadOffset) {
        return p[payloadOffset + OFFSET + 2] & 0xFF;
    }

    static int stream(byte[] p, int payloadOffset) {
        int at = payloadOffset + OFFSET + 3;
        return (p[at] & 0xFF) << 24 | (p[at + 1] & 0xFF) << 16 | (p[at + 2] & 0xFF) << 8 | (p[at + 3] & 0xFF);
    }

    static long sentNanos(byte[] p, int payloadOffset) {
        int at = payloadOffset + OFFSET + 7;
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (p[at + i] & 0xFF);
        }
        return v;
    }
}
