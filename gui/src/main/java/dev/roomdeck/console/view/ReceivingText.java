package dev.roomdeck.console.view;

import dev.roomdeck.admin.ReceivedVideoSnapshot;
import dev.roomdeck.console.model.ReceivingSummary;

/**
 * How the console words what a peer receives (the Receives column, its tooltip, and the Receiving section beside
 * the streams). Layers are counted from 1 for the operator, smallest first: "layer 3/3" is the largest of three,
 * where the server counts from 0.
 */
public final class ReceivingText {
    private ReceivingText() {
    }

    /**
     * The Receives cell: "3 videos · 1.80 of 2.40 Mbit/s" (what is forwarded now of what the browser estimates its
     * link carries), "1 video · 500 kbit/s" before the browser said; "" when the peer receives no video.
     */
    public static String summary(ReceivingSummary r) {
        if (r.count() == 0) {
            return "";
        }
        String videos = r.count() == 1 ? "1 video" : r.count() + " videos";
        return videos + " · " + (r.measured() ? rateOf(r.receivedBps(), r.linkEstimateBps()) : Formats.bitrate(r.receivedBps()));
    }

    /** The flag beside the summary: "2 lowered for bandwidth"; "" when no stream is. */
    public static String loweredText(ReceivingSummary r) {
        int n = r.lowered();
        return n == 0 ? "" : n + " lowered for bandwidth";
    }

    /** "1.80 of 2.40 Mbit/s" when both read in the same unit, else "850 kbit/s of 2.40 Mbit/s". */
    static String rateOf(long bps, long ofBps) {
        String of = Formats.bitrate(ofBps);
        String part = Formats.bitrate(bps);
        int space = of.indexOf(' ');
        String unit = space < 0 ? "" : of.substring(space);
        if (!unit.isEmpty() && part.endsWith(unit)) {
            return part.substring(0, part.length() - unit.length()) + " of " + of;
        }
        return part + " of " + of;
    }

    /** "Link estimate 2.40 Mbit/s", or "Link estimate not measured yet" before the browser said (no REMB). */
    public static String linkText(ReceivingSummary r) {
        return "Link estimate " + (r.measured() ? Formats.bitrate(r.linkEstimateBps()) : "not measured yet");
    }

    /**
     * Which video goes to the peer: "layer 2/3 · 640×360"; "switching 1→2" while the server waits for the new
     * layer's keyframe; "waiting for layer 2/3" before the first one; "whole stream" without simulcast; "paused".
     */
    public static String layerText(ReceivedVideoSnapshot v) {
        if (ReceivingSummary.isPaused(v) || (v.layer() < 0 && v.targetLayer() < 0)) {
            return "paused";
        }
        String size = v.width() > 0 && v.height() > 0 ? " · " + v.width() + "×" + v.height() : "";
        if (v.layers() <= 1) {
            return "whole stream" + size;
        }
        if (v.layer() < 0) {
            return "waiting for layer " + (v.targetLayer() + 1) + "/" + v.layers();
        }
        if (v.targetLayer() >= 0 && v.targetLayer() != v.layer()) {
            return "switching " + (v.layer() + 1) + "→" + (v.targetLayer() + 1) + size;
        }
        return "layer " + (v.layer() + 1) + "/" + v.layers() + size;
    }

    /** Why that layer, in plain words: "fits the tile", "lowered: link", "best available", ... */
    public static String reasonText(ReceivedVideoSnapshot v) {
        String reason = v.reason() == null ? "" : v.reason();
        return switch (reason) {
            case "size" -> "fits the tile";
            case ReceivingSummary.BANDWIDTH -> "lowered: link";
            case "best" -> "best available";
            case ReceivingSummary.PAUSED -> "tile hidden or muted";
            case "single" -> "no simulcast";
            default -> reason;
        };
    }

    /** The same in a sentence, for a tooltip. */
    static String reasonSentence(ReceivedVideoSnapshot v) {
        String reason = v.reason() == null ? "" : v.reason();
        return switch (reason) {
            case "size" -> "The smallest layer that fills the tile the person's page draws it in.";
            case ReceivingSummary.BANDWIDTH -> "Smaller than the tile asks: the person's link would not carry more "
                    + "(its browser's estimate). The server tries the next layer again once the link settles.";
            case "best" -> "The page did not say its tile's size: the largest layer the publisher sends now.";
            case ReceivingSummary.PAUSED -> "No video of it now: the page hides the tile, or the stream is muted for "
                    + "this person.";
            case "single" -> "The publisher sends one size only (no simulcast): the stream as sent.";
            default -> "The server's reason: " + reason + ".";
        };
    }

    /** One stream's line below its label: "layer 2/3 · 640×360 · fits the tile · 420 kbit/s" (no rate when paused). */
    public static String detail(ReceivedVideoSnapshot v) {
        String words = layerText(v) + " · " + reasonText(v);
        return ReceivingSummary.isPaused(v) ? words : words + " · " + Formats.bitrate(v.bitrateBps());
    }

    /** The Receives cell's tooltip: each stream on a line, then the link estimate. */
    public static String tooltip(ReceivingSummary r) {
        StringBuilder b = new StringBuilder();
        for (ReceivedVideoSnapshot v : r.videos()) {
            b.append(v.label()).append(": ").append(detail(v)).append('\n');
        }
        b.append(linkText(r));
        if (r.measured()) {
            b.append(" (receives ").append(Formats.bitrate(r.receivedBps())).append(')');
        }
        return b.toString();
    }
}
