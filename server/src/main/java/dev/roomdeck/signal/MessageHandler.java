package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.room.RoomException;

/** message: relayed to every other peer of the room, with {@code from}. */
final class MessageHandler {
    private MessageHandler() {
    }

    static void message(SignalSession s, JsonNode d) throws SignalException, RoomException {
        if (!d.has("data")) {
            throw new SignalException("invalid-field", "message.data is required (any JSON value)");
        }
        s.services().rooms().message(s.requirePeer(), d.get("data"));
    }
}
