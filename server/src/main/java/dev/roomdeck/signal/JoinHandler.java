package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.auth.TokenException;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.protocol.LobbyData;
import dev.roomdeck.protocol.MessageTypes;
import dev.roomdeck.room.InLobby;
import dev.roomdeck.room.JoinRequest;
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
        if (s.state() == SignalSession.State.WAITING) {
            throw new SignalException("already-joined", "this connection waits in a room's lobby; send leave first");
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
        String pin = d.hasNonNull("pin") ? Fields.text(d, "join", "pin") : null;
        if (pin != null && (pin.isEmpty() || pin.length() > 32)) {
            throw new SignalException("invalid-field", "join.pin must be 1–32 characters");
        }
        boolean speakerEvents = false;
        if (d.hasNonNull("events")) {
            JsonNode events = d.get("events");
            if (!events.isArray()) {
                throw new SignalException("invalid-field", "join.events must be an array of strings");
            }
            for (JsonNode e : events) {
                speakerEvents |= "speaker".equals(e.asText());
            }
        }
        try {
            s.services().tokens().verify(appkey, token, room, user);
        } catch (TokenException e) {
            throw new SignalException(e.code(), e.getMessage());
        }
        JoinRequest request = new JoinRequest(room, user, Boolean.TRUE.equals(planB), Boolean.TRUE.equals(answersOffers),
                sdp, attributes, pin, speakerEvents);
        enter(s, request);
    }

    /** Joins through the room's door: in, or waiting in the lobby (the client hears {@code lobby}). */
    static void enter(SignalSession s, JoinRequest request) throws RoomException {
        try {
            s.joined(s.services().rooms().join(request, s, s.lobbyist()));
        } catch (InLobby wait) {
            s.waitInLobby(request, wait.knockId());
            s.reply(MessageTypes.LOBBY, new LobbyData(request.roomId(), wait.getMessage()));
        }
    }

    static void leave(SignalSession s, JsonNode d) throws SignalException {
        if (s.state() == SignalSession.State.WAITING) {
            s.leaveLobby();
            return;
        }
        Peer peer = s.requirePeer();
        s.left();
        s.services().rooms().leave(peer, "left", null);
    }
}
