package dev.roomdeck.media;

/**
 * Which of the last {@value #SIZE} sequence numbers of one RTP stream have been seen (RFC 3711 3.3.2's replay
 * list, sized as libwebrtc sizes it for video): a packet is {@link #FRESH} if it is newer than everything seen or
 * inside the window and not seen yet, a {@link #DUPLICATE} if seen, {@link #TOO_OLD} if it lies behind the window.
 *
 * <p>Why not jitsi-srtp's own check: its window is 64 packets, about 0.4 s of 1.5 Mbps video, and a repair of a
 * lost packet can come later than that (a NACK, the publisher's pacer, a retry). 1,024 packets hold several seconds
 * of video. The check is also ours to count: jitsi-srtp logs every refused packet.
 *
 * <p>{@link #check} never changes the window and {@link #accept} records a packet; SRTP calls accept only once a
 * packet authenticated, so a forged packet cannot block the genuine one. 16-bit numbers are extended against the
 * newest one seen, so the wrap from 65535 to 0 needs no care. Not thread-safe: one stream's packets arrive one at
 * a time. Nothing allocates after construction.
 */
public final class ReplayWindow {
    public static final int SIZE = 1024;
    public static final int FRESH = 0;
    public static final int DUPLICATE = 1;
    public static final int TOO_OLD = 2;

    private static final int MASK = SIZE - 1;
    /** Extended numbers start one cycle up, so that a packet from just before the first one stays positive. */
    private static final long FIRST_CYCLE = 1L << 16;

    /** Bit {@code ext & MASK} says whether extended number ext (within SIZE of {@link #highest}) was seen. */
    private final long[] seen = new long[SIZE / 64];
    private boolean started;
    private long highest;

    /** {@link #FRESH}, {@link #DUPLICATE} or {@link #TOO_OLD}; changes nothing. */
    public int check(int seq16) {
        if (!started) {
            return FRESH;
        }
        long ext = extend(seq16);
        if (ext > highest) {
            return FRESH;
        }
        if (highest - ext >= SIZE) {
            return TOO_OLD;
        }
        return isSeen(ext) ? DUPLICATE : FRESH;
    }

    /** Records a packet as seen (one that {@link #check} called fresh and that was then used). */
    public void accept(int seq16) {
        if (!started) {
            started = true;
            highest = FIRST_CYCLE + (seq16 & 0xFFFF);
            mark(highest);
            return;
        }
        long ext = extend(seq16);
        if (ext > highest) {
            long gap = ext - highest;
            if (gap >= SIZE) {
                java.util.Arrays.fill(seen, 0L);
            } else {
                for (long s = highest + 1; s < ext; s++) {
                    clear(s); // numbers skipped over: not seen (yet)
                }
            }
            highest = ext;
            mark(ext);
        } else if (highest - ext < SIZE) {
            mark(ext);
        }
    }

    /** Check and accept in one step: true when the packet was fresh (and is now recorded). */
    public boolean admit(int seq16) {
        if (check(seq16) != FRESH) {
            return false;
        }
        accept(seq16);
        return true;
    }

    private long extend(int seq16) {
        return highest + (short) ((seq16 & 0xFFFF) - (int) (highest & 0xFFFF));
    }

    private boolean isSeen(long ext) {
        int bit = (int) ext & MASK;
        return (seen[bit >>> 6] & (1L << bit)) != 0;
    }

    private void mark(long ext) {
        int bit = (int) ext & MASK;
        seen[bit >>> 6] |= 1L << bit;
    }

    private void clear(long ext) {
        int bit = (int) ext & MASK;
        seen[bit >>> 6] &= ~(1L << bit);
    }
}
