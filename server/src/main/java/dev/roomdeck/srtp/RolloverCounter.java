package dev.roomdeck.srtp;

/**
 * One RTP stream's packet index: the 16-bit sequence number extended by the rollover counter (RFC 3711 3.3.1). The
 * index of a number is guessed against the highest index seen as in RFC 3711's Appendix A (the number that is
 * nearest to it, in this cycle, the last or the next), and only an index that is used (sent, or received and
 * authenticated) moves the highest one on: a forged packet cannot move a receiver's counter. Not thread-safe.
 */
public final class RolloverCounter {
    private boolean started;
    private long highest;

    /** The index for sequence number {@code seq}: 48 bits, or -1 for a number before the stream's first cycle. */
    public long index(int seq) {
        seq &= 0xFFFF;
        if (!started) {
            return seq;
        }
        long roc = highest >>> 16;
        int last = (int) highest & 0xFFFF;
        long guess;
        if (last < 0x8000) {
            guess = seq - last > 0x8000 ? roc - 1 : roc;
        } else {
            guess = last - 0x8000 > seq ? roc + 1 : roc;
        }
        return guess < 0 ? -1 : (guess & 0xFFFFFFFFL) << 16 | seq;
    }

    /** Records the index of a packet that was used: the highest one seen moves on if this is newer. */
    public void update(long index) {
        if (!started || index > highest) {
            highest = index;
            started = true;
        }
    }

    /** The rollover counter of the highest index seen (0 before any). */
    public int rollover() {
        return (int) (highest >>> 16);
    }
}
