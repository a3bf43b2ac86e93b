package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.room.Peer;
import dev.roomdeck.room.RoomException;

/** configure: local mutes one's own stream for everyone; remote stops receiving another's stream for oneself. */
final class ConfigureHandler {
    private ConfigureHandler() {
    }

    static void configure(SignalSession s, JsonNode d) throws SignalException, RoomException {
        Peer peer = s.requirePeer();
        String owner = Fields.name(d, "configure", "id");
        String msid = Fields.name(d, "configure", "msid");
        boolean local = Boolean.TRUE.equals(Fields.optBool(d, "configure", "local"));
        boolean remote = Boolean.TRUE.equals(Fields.optBool(d, "configure", "remote"));
        Boolean video = Fields.optBool(d, "configure", "video");
        Boolean audio = Fields.optBool(d, "configure", "audio");
        if (local == remote) {
            throw new SignalException("invalid-field", "configure needs exactly one of local or remote set to true");
        }
        if (video == null && audio == null) {
            throw new SignalException("invalid-field", "configure needs video or audio (false = muted, true = unmuted)");
        }
        if (local) {
            s.services().rooms().configureLocal(peer, owner, msid, audio, video);
        } else {
            s.services().rooms().configureRemote(peer, owner, msid, audio, video);
        }
    }
}
