package dev.roomdeck.room;

/**
 * Where one publisher's video stands on its way to one subscriber, as the media plane sees it: what a client's
 * "no video from this stream" report ({@code renegotiate} with reason {@code no-media}) is answered by. Only
 * {@link #NOT_FORWARDED} is a negotiation problem that a fresh offer can repair.
 */
public enum VideoFlow {
    /** The subscriber's own transport is not connected (yet): nothing can reach it, whatever the SDP says. */
    RECEIVER_NOT_CONNECTED("your media connection is not up yet"),
    /** The publisher sends no video to the server (its transport is still connecting, or its camera stalls). */
    PUBLISHER_SILENT("the publisher's video has not reached the server (yet)"),
    /** The server has the video but forwards none to this subscriber: its negotiated receive side is off. */
    NOT_FORWARDED("the server does not forward this video to you"),
    /** The server forwards the video to this subscriber right now: a decoder waiting for a keyframe. */
    FORWARDING("the server forwards this video to you");

    private final String explanation;

    VideoFlow(String explanation) {
        this.explanation = explanation;
    }

    /** A short sentence for the client and the operator's log. */
    public String explanation() {
        return explanation;
    }
}
