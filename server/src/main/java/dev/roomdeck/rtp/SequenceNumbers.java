package dev.roomdeck.rtp;

/** 16-bit RTP sequence number arithmetic (RFC 1982 style): compare and unwrap across 65535 -> 0. */
public final class SequenceNumbers {
    private SequenceNumbers() {}

    /** Signed distance from {@code from} to {@code to} in [-32768, 32767]: positive when {@code to} is newer. */
    public static int diff(int from, int to) {
        return (short) (to - from);
    }

    /** True when {@code a} comes after {@code b} in sequence order. */
    public static boolean isNewer(int a, int b) {
        return diff(b, a) > 0;
    }

    /**
     * Extends a 16-bit seq to a 64-bit counter, picking the value nearest to {@code reference}
     * (the highest extended seq seen so far). Packets up to 32767 behind or ahead are placed correctly.
     */
    public static long unwrap(int seq16, long reference) {
        return reference + diff((int) reference & 0xFFFF, seq16 & 0xFFFF);
    }
}
