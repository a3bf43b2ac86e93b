package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.auth.TokenException;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.room.Peer;
import dev.roomdeck.room.RoomException;

/** join and leave. */
final class JoinHandler {
    private JoinHandler() {
    }

    static void join(SignalSession s, JsonNode d) throws SignalException, RoomException {
        if (s.state() == SignalSession.State.JOINED) {
            throw new SignalException("already-joined", "this connection already joined a room; send leave first");
        }
        // RTCEngine's SDK sends the token's appkey claim; a token minted without one leaves it out: the default.
        String appkey = d.hasNonNull("appkey") ? Fields.name(d, "join", "appkey") : ServerConfig.DEFAULT_APPKEY;
        String room = Fields.name(d, "join", "room");
        String user = Fields.name(d, "join", "user");
        String token = d.hasNonNull("token") || s.connectionToken() == null
                ? Fields.text(d, "join", "token") : s.connectionToken();
        Boolean planB = Fields.optBool(d, "join", "planb");
        Boolean answersOffers = Fields.optBool(d, "join", "answersOffers");
        String sdp = Fields.text(d, "join", "sdp");
        JsonNode attributes = d.hasNonNull("attributes") ? Fields.object(d, "join", "attributes") : null;
        try {
            s.services().tokens().verify(appkey, token, room, user);
        } catch (TokenException e) {
            throw new SignalException(e.code(), e.getMessage());
        }
        Peer peer = s.services().rooms().join(room, user, s, Boolean.TRUE.equals(planB),
                Boolean.TRUE.equals(answersOffers), sdp, attributes);
        s.joined(peer);
    }

    static void leave(SignalSession s, JsonNode d) throws SignalException {
        Peer peer = s.requirePeer();
        s.left();
        s.services().rooms().leave(peer, "left", null);
    }
}
