package dev.roomdeck.console.model;

import dev.roomdeck.admin.ReceivedVideoSnapshot;
import java.util.List;

/**
 * What one peer receives of the others' video: per stream the simulcast layer the server forwards and why, and
 * what the peer's browser estimates its link carries. A value, replaced as a whole with each snapshot (equal
 * snapshots leave the row alone), and the Receives column's sort key: peers whose video was lowered for their
 * link come last ascending, first descending, then by what they receive.
 *
 * @param linkEstimateBps the browser's estimate of its downlink (REMB); negative before it said
 * @param videos          one per stream received, in the server's order, labelled as the console calls them
 */
public record ReceivingSummary(long linkEstimateBps, List<ReceivedVideoSnapshot> videos) implements Comparable<ReceivingSummary> {
    /** The server's word for a stream lowered to fit the subscriber's link. */
    public static final String BANDWIDTH = "bandwidth";
    /** The server's word for a stream the subscriber gets no video of now (tile hidden, or muted for it). */
    public static final String PAUSED = "paused";
    /** Nothing received, no estimate: before the first snapshot, and for a peer alone in its room. */
    public static final ReceivingSummary NONE = new ReceivingSummary(-1, List.of());

    public ReceivingSummary {
        videos = videos == null ? List.of() : List.copyOf(videos);
    }

    /** How many video streams the peer receives (paused ones included: they are still its subscriptions). */
    public int count() {
        return videos.size();
    }

    /** The rate of all video forwarded to the peer now. */
    public long receivedBps() {
        long sum = 0;
        for (ReceivedVideoSnapshot v : videos) {
            sum += Math.max(0, v.bitrateBps());
        }
        return sum;
    }

    /** Streams the server forwards a smaller layer of than the tile asks, because the link would not carry more. */
    public int lowered() {
        return (int) videos.stream().filter(v -> BANDWIDTH.equals(v.reason())).count();
    }

    /** Streams the peer gets no video of now. */
    public int paused() {
        return (int) videos.stream().filter(ReceivingSummary::isPaused).count();
    }

    /** The browser said what its link carries (a REMB within the last seconds). */
    public boolean measured() {
        return linkEstimateBps >= 0;
    }

    /** A row the operator should look at: the person sees smaller video than their tiles ask, for want of link. */
    public boolean flagged() {
        return lowered() > 0;
    }

    /** No video of this stream goes to the peer now, by its own wish or a mute (not a layer waiting for a keyframe). */
    public static boolean isPaused(ReceivedVideoSnapshot v) {
        return PAUSED.equals(v.reason());
    }

    @Override
    public int compareTo(ReceivingSummary o) {
        int c = Integer.compare(lowered(), o.lowered());
        if (c != 0) {
            return c;
        }
        c = Long.compare(receivedBps(), o.receivedBps());
        return c != 0 ? c : Integer.compare(count(), o.count());
    }
}
