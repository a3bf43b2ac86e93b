package dev.roomdeck.rtp;

/**
 * The first RTP sequence number of a run (since a simulcast layer switch, or since a stream was unmuted for a
 * subscriber), to tell a packet from before the run apart from one of it. Sixteen-bit serial arithmetic ("is s
 * at or after the floor") only holds within half the number space, so the floor follows the newest number it has
 * seen at a distance of at most {@value #TRAIL}: a run may last any number of packets. Before, a fixed floor made
 * every packet after the 32,768th of a run look older than the run: a speaker's video stopped for everyone after
 * three and a half minutes on one layer, and NACKs of a long-unmuted stream went unanswered.
 *
 * <p>One thread (the packet path of one consumer).
 */
public final class SequenceFloor {
    /** How far the floor trails the newest number: far beyond any reordering or repair (the cache holds 512). */
    static final int TRAIL = 0x4000;
    private int floor = -1;

    /** No run: nothing is at or after the floor. */
    public void clear() {
        floor = -1;
    }

    /** A run begins at {@code seq}. */
    public void start(int seq) {
        floor = seq & 0xFFFF;
    }

    public boolean isSet() {
        return floor >= 0;
    }

    /** Whether {@code seq} belongs to the run (at or after its floor); a newer number moves the floor up behind it. */
    public boolean admit(int seq) {
        if (!covers(seq)) {
            return false;
        }
        if (((seq - floor) & 0xFFFF) > TRAIL) {
            floor = (seq - TRAIL) & 0xFFFF;
        }
        return true;
    }

    /** Whether {@code seq} belongs to the run, without moving the floor (a NACK asks about the past). */
    public boolean covers(int seq) {
        return floor >= 0 && ((seq - floor) & 0x8000) == 0;
    }
}
