package dev.roomdeck.rtp;

import java.util.function.IntConsumer;

/**
 * Generic NACK (RFC 4585 6.2.1): RTPFB, FMT 1, then FCI pairs of
 * <pre>|            PID (lost seq)     |  BLP: bit i set = PID+i+1 lost |</pre>
 * Reading never allocates: lost sequence numbers go to a callback or into a caller's int[].
 */
public final class GenericNack {
    private GenericNack() {}

    public static final int HEADER_END = 12;

    public static boolean isValid(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= HEADER_END && Rtcp.packetType(b, off) == Rtcp.PT_RTPFB
                && Rtcp.countOrFormat(b, off) == Rtcp.FMT_NACK;
    }

    public static int pairCount(int len) { return Math.max(0, (len - HEADER_END) / 4); }

    /** Calls {@code lost} with every sequence number the NACK names, in packet order. Keep one consumer instance to stay allocation-free. */
    public static void forEachLost(byte[] b, int off, int len, IntConsumer lost) {
        int pairs = pairCount(len);
        for (int p = 0; p < pairs; p++) {
            int at = off + HEADER_END + 4 * p;
            int pid = Bytes.u16(b, at);
            int blp = Bytes.u16(b, at + 2);
            lost.accept(pid);
            for (int i = 0; i < 16; i++) if ((blp & (1 << i)) != 0) lost.accept((pid + i + 1) & 0xFFFF);
        }
    }

    /**
     * Writes the lost sequence numbers into {@code out} from index 0 and returns how many were written;
     * stops quietly when {@code out} is full (one NACK can name 17 x pairs numbers).
     */
    public static int lostSequenceNumbers(byte[] b, int off, int len, int[] out) {
        int n = 0;
        int pairs = pairCount(len);
        for (int p = 0; p < pairs && n < out.length; p++) {
            int at = off + HEADER_END + 4 * p;
            int pid = Bytes.u16(b, at);
            int blp = Bytes.u16(b, at + 2);
            out[n++] = pid;
            for (int i = 0; i < 16 && n < out.length; i++) if ((blp & (1 << i)) != 0) out[n++] = (pid + i + 1) & 0xFFFF;
        }
        return n;
    }

    /** Most bytes {@link #write} needs for {@code count} sequence numbers. */
    public static int maxLength(int count) { return HEADER_END + 4 * count; }

    /**
     * Writes a NACK for {@code seqs[0..count)}, which should be in ascending sequence order (wrap allowed);
     * a number within 16 after the current PID goes into its bitmask, anything else starts a new pair.
     * Returns the length, or 0 when {@code count} is 0.
     */
    public static int write(byte[] out, int off, int senderSsrc, int mediaSsrc, int[] seqs, int count) {
        if (count <= 0) return 0;
        int at = off + HEADER_END;
        int pid = seqs[0] & 0xFFFF;
        int blp = 0;
        for (int i = 1; i < count; i++) {
            int s = seqs[i] & 0xFFFF;
            int d = SequenceNumbers.diff(pid, s);
            if (d == 0) continue;
            if (d >= 1 && d <= 16) {
                blp |= 1 << (d - 1);
            } else {
                Bytes.put16(out, at, pid);
                Bytes.put16(out, at + 2, blp);
                at += 4;
                pid = s;
                blp = 0;
            }
        }
        Bytes.put16(out, at, pid);
        Bytes.put16(out, at + 2, blp);
        at += 4;
        int len = at - off;
        Rtcp.writeHeader(out, off, Rtcp.FMT_NACK, Rtcp.PT_RTPFB, len);
        Bytes.put32(out, off + 4, senderSsrc);
        Bytes.put32(out, off + 8, mediaSsrc);
        return len;
    }
}
