package dev.roomdeck.forward;

import java.util.Arrays;

/**
 * What a simulcast consumer sent under each outgoing sequence number, so that a subscriber's NACK (in the forwarded
 * stream's numbering) finds the layer's packet in that layer's retransmission cache and gets the same rewriting
 * again. Per packet only its numbers are kept; the layer and the offsets change only at a switch, and are kept per
 * switch ({@value #SWITCHES} of them, far more than a NACK's reach ever spans). 12 KB per simulcast consumer; a
 * consumer of a single-encoding track has none (its numbers are the publisher's). Packet path thread only.
 */
final class SentPackets {
    static final int SLOTS = 1024;
    private static final int SWITCHES = 16;

    private final int[] outSeq = new int[SLOTS];
    private final int[] originalSeq = new int[SLOTS];
    /** The number of the switch each packet went out after. */
    private final int[] switchOf = new int[SLOTS];

    private final int[] switchNumber = new int[SWITCHES];
    private final IncomingStream[] from = new IncomingStream[SWITCHES];
    private final int[] seqOffset = new int[SWITCHES];
    private final int[] tsOffset = new int[SWITCHES];
    private final int[] pictureIdOffset = new int[SWITCHES];
    private final int[] tl0Offset = new int[SWITCHES];
    private int switches = -1;

    SentPackets() {
        Arrays.fill(outSeq, -1);
        Arrays.fill(switchNumber, -1);
    }

    /** From now on packets come from {@code stream}, shifted by these offsets. */
    void switched(IncomingStream stream, int seqOff, int tsOff, int picOff, int tl0Off) {
        switches++;
        int s = switches & (SWITCHES - 1);
        switchNumber[s] = switches;
        from[s] = stream;
        seqOffset[s] = seqOff;
        tsOffset[s] = tsOff;
        pictureIdOffset[s] = picOff;
        tl0Offset[s] = tl0Off;
    }

    /** Packet {@code original} of the current stream went out as {@code out}. */
    void sent(int out, int original) {
        int slot = out & (SLOTS - 1);
        outSeq[slot] = out;
        originalSeq[slot] = original;
        switchOf[slot] = switches;
    }

    /** The switch {@code out} went out after (an index for the accessors below), or -1 if no longer known. */
    int find(int out) {
        int slot = out & (SLOTS - 1);
        if (outSeq[slot] != out) {
            return -1;
        }
        int number = switchOf[slot];
        int s = number & (SWITCHES - 1);
        return number >= 0 && switchNumber[s] == number ? s : -1;
    }

    int originalSeq(int out) {
        return originalSeq[out & (SLOTS - 1)];
    }

    IncomingStream from(int s) {
        return from[s];
    }

    int seqOffset(int s) {
        return seqOffset[s];
    }

    int tsOffset(int s) {
        return tsOffset[s];
    }

    int pictureIdOffset(int s) {
        return pictureIdOffset[s];
    }

    int tl0Offset(int s) {
        return tl0Offset[s];
    }
}
