package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.room.Peer;
import dev.roomdeck.room.RoomException;
import dev.roomdeck.room.VideoSize;

/**
 * configure: local mutes one's own stream for everyone; remote stops receiving another's stream for oneself.
 * Also the RTCEngine SDK's form: {@code {"video": true, "muting": true}} names the kind by its key and the state by
 * {@code muting}, and a remote mute says {@code local: false} without {@code remote}.
 */
final class ConfigureHandler {
    private ConfigureHandler() {
    }

    static void configure(SignalSession s, JsonNode d) throws SignalException, RoomException {
        Peer peer = s.requirePeer();
        String owner = Fields.name(d, "configure", "id");
        String msid = Fields.name(d, "configure", "msid");
        Boolean localField = Fields.optBool(d, "configure", "local");
        Boolean remoteField = Fields.optBool(d, "configure", "remote");
        Boolean video = Fields.optBool(d, "configure", "video");
        Boolean audio = Fields.optBool(d, "configure", "audio");
        Boolean muting = Fields.optBool(d, "configure", "muting");
        // One of the two says it all: local false means remote, and the other way round.
        boolean local = localField != null ? localField : remoteField != null && !remoteField;
        boolean remote = remoteField != null ? remoteField : localField != null && !localField;
        if (local == remote) {
            throw new SignalException("invalid-field", "configure needs exactly one of local or remote set to true");
        }
        if (muting != null) {
            if (Boolean.TRUE.equals(video) == Boolean.TRUE.equals(audio)) {
                throw new SignalException("invalid-field",
                        "configure with muting needs exactly one of video or audio set to true (the kind it mutes)");
            }
            video = Boolean.TRUE.equals(video) ? !muting : null;
            audio = Boolean.TRUE.equals(audio) ? !muting : null;
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

    /** videoSize: the largest video the sender wants of another peer's stream; 0x0 asks for none now. */
    static void videoSize(SignalSession s, JsonNode d) throws SignalException, RoomException {
        Peer peer = s.requirePeer();
        String owner = Fields.name(d, "videoSize", "id");
        String msid = Fields.name(d, "videoSize", "msid");
        Integer width = Fields.optInt(d, "videoSize", "width", 0, VideoSize.MAX);
        Integer height = Fields.optInt(d, "videoSize", "height", 0, VideoSize.MAX);
        if (width == null || height == null || (width == 0) != (height == 0)) {
            throw new SignalException("invalid-field",
                    "videoSize needs width and height: both 0 (no video now) or both 1.." + VideoSize.MAX);
        }
        s.services().rooms().videoSize(peer, owner, msid, new VideoSize(width, height));
    }
}
