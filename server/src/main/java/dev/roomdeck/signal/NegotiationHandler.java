package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.room.Peer;
import dev.roomdeck.room.RoomException;

/** offer, answer, addStream, removeStream: everything that carries SDP after join. */
final class NegotiationHandler {
    private static final int MAX_BITRATE_KBPS = 100_000;
    /** A browser's error text is kept for the operator, but not at any length. */
    private static final int MAX_REPORT_CHARS = 500;

    private NegotiationHandler() {
    }

    static void offer(SignalSession s, JsonNode d) throws SignalException, RoomException {
        Peer peer = s.requirePeer();
        s.services().rooms().offer(peer, Fields.text(d, "offer", "sdp"));
    }

    static void answer(SignalSession s, JsonNode d) throws SignalException, RoomException {
        Peer peer = s.requirePeer();
        s.services().rooms().answer(peer, Fields.text(d, "answer", "sdp"));
    }

    /**
     * The client could not apply our offer, or a stream's video did not start: {@code {reason?, message?, msid?}};
     * a fresh server offer follows, or (no-media only) a {@code renegotiate} reply when none would help.
     */
    static void renegotiate(SignalSession s, JsonNode d) throws SignalException, RoomException {
        Peer peer = s.requirePeer();
        String reason = d.hasNonNull("reason") ? Fields.name(d, "renegotiate", "reason") : "offer-failed";
        String message = d.hasNonNull("message") ? Fields.text(d, "renegotiate", "message") : null;
        if (message != null && message.length() > MAX_REPORT_CHARS) {
            message = message.substring(0, MAX_REPORT_CHARS) + "…";
        }
        String msid = d.hasNonNull("msid") ? Fields.name(d, "renegotiate", "msid") : null;
        s.services().rooms().renegotiate(peer, reason, message, msid);
    }

    static void addStream(SignalSession s, JsonNode d) throws SignalException, RoomException {
        Peer peer = s.requirePeer();
        JsonNode stream = Fields.object(d, "addStream", "stream");
        String owner = Fields.name(stream, "addStream.stream", "id");
        String msid = Fields.name(stream, "addStream.stream", "msid");
        Fields.optBool(stream, "addStream.stream", "local");
        Integer bitrate = Fields.optInt(stream, "addStream.stream", "bitrate", 0, MAX_BITRATE_KBPS);
        String sdp = Fields.text(d, "addStream", "sdp");
        if (!peer.id().equals(owner)) {
            throw new SignalException("not-owner", "addStream.stream.id must be your own peer id '" + peer.id() + "'");
        }
        int kbps = bitrate == null || bitrate == 0 ? s.services().config().defaultBitrateKbps() : bitrate;
        s.services().rooms().addStream(peer, msid, kbps, stream.get("attributes"), sdp);
    }

    static void removeStream(SignalSession s, JsonNode d) throws SignalException, RoomException {
        Peer peer = s.requirePeer();
        JsonNode stream = Fields.object(d, "removeStream", "stream");
        String owner = Fields.name(stream, "removeStream.stream", "id");
        String msid = Fields.name(stream, "removeStream.stream", "msid");
        String sdp = Fields.text(d, "removeStream", "sdp");
        s.services().rooms().removeStream(peer, owner, msid, sdp);
    }
}
