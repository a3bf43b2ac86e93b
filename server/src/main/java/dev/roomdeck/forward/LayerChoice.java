package dev.roomdeck.forward;

import dev.roomdeck.room.VideoSize;

/**
 * Which simulcast layer a subscriber should get of one track: first by the size it asked for (the smallest layer
 * that fills its tile, else the largest), then by what its link carries (the highest layer at or below that one
 * whose bitrate fits the budget left, else the lowest). Only layers the publisher sends now count: a browser
 * drops its upper layers when its own uplink is short, and a layer that stopped must not be waited for.
 */
final class LayerChoice {
    /** Why a consumer gets the layer it gets: the console shows it next to the layer. */
    enum Reason {
        /** No size asked: the best layer there is. */
        BEST("best"),
        /** The size the subscriber asked for (its tile). */
        SIZE("size"),
        /** Lowered to fit the subscriber's link. */
        BANDWIDTH("bandwidth"),
        /** The subscriber asked for no video of this stream now (tile hidden). */
        PAUSED("paused");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    /** A layer being received stays while its smoothed rate is within this share of the budget. */
    static final double KEEP = 1.15;
    /** A layer covers a tile when it is at least this share of the tile's width and height (rounding, borders). */
    private static final double COVER = 0.9;
    /** Assumed size of the top layer before any keyframe said it (720p, the bundled client's camera). */
    private static final int DEFAULT_TOP_WIDTH = 1280;
    private static final int DEFAULT_TOP_HEIGHT = 720;

    private LayerChoice() {
    }

    /**
     * The layer that fits {@code wish} (null: no wish, the best layer): the smallest layer that covers it, else the
     * largest. Among the layers sent now; when none is (the publisher has not started), among all. -1 when the
     * wish is 0x0.
     */
    static int forSize(IncomingStream[] streams, VideoSize wish, long now) {
        if (wish != null && wish.none()) {
            return -1;
        }
        boolean anyActive = false;
        for (IncomingStream s : streams) {
            anyActive |= s != null && s.isActive(now);
        }
        int best = -1;
        for (int i = 0; i < streams.length; i++) {
            if (anyActive && (streams[i] == null || !streams[i].isActive(now))) {
                continue;
            }
            best = i; // layers go up in size: the last candidate is the largest
            if (wish != null && width(streams, i) >= wish.width() * COVER && height(streams, i) >= wish.height() * COVER) {
                return i;
            }
        }
        return best;
    }

    /**
     * The highest layer at or below {@code wanted} that fits {@code budgetBps}; the lowest layer sent when none fits
     * (a small picture beats none). Layers not sent now are skipped. A layer above {@code current} fits when its
     * recent peak rate does (the link must take its keyframes); the current layer and those below it by their
     * smoothed rate, within {@value #KEEP} times the budget, so that the keyframe a switch asks for does not switch
     * it back. A budget cut by congestion is below what we send, and takes the current layer down all the same.
     */
    static int forBudget(IncomingStream[] streams, int wanted, int current, long budgetBps, long now) {
        int lowest = -1;
        for (int i = wanted; i >= 0; i--) {
            IncomingStream s = streams[i];
            if (s == null || !s.isActive(now)) {
                continue;
            }
            lowest = i;
            boolean fits = i <= current ? s.averageBitsPerSecond(now) <= budgetBps * KEEP : s.peakBitsPerSecond(now) <= budgetBps;
            if (fits) {
                return i;
            }
        }
        return lowest >= 0 ? lowest : wanted;
    }

    /** A layer's width: what its last keyframe said, else derived from a known layer (each step doubles), else 720p's. */
    static int width(IncomingStream[] streams, int layer) {
        return size(streams, layer, true);
    }

    static int height(IncomingStream[] streams, int layer) {
        return size(streams, layer, false);
    }

    private static int size(IncomingStream[] streams, int layer, boolean width) {
        IncomingStream own = streams[layer];
        int known = own == null ? 0 : width ? own.width : own.height;
        if (known > 0) {
            return known;
        }
        for (int j = streams.length - 1; j >= 0; j--) {
            IncomingStream s = streams[j];
            int v = s == null ? 0 : width ? s.width : s.height;
            if (v > 0) {
                return layer > j ? v << (layer - j) : v >> (j - layer);
            }
        }
        int top = width ? DEFAULT_TOP_WIDTH : DEFAULT_TOP_HEIGHT;
        return top >> (streams.length - 1 - layer);
    }
}
