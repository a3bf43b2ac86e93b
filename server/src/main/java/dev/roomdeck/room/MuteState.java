package dev.roomdeck.room;

/**
 * Who muted a stream's audio and video. The owner mutes its own stream with configure(local); the operator's
 * mute overrides it, and only the operator can lift it.
 */
public record MuteState(boolean audioByOwner, boolean videoByOwner, boolean audioByOperator, boolean videoByOperator) {
    public static final MuteState NONE = new MuteState(false, false, false, false);

    public boolean audioMuted() {
        return audioByOwner || audioByOperator;
    }

    public boolean videoMuted() {
        return videoByOwner || videoByOperator;
    }

    public MuteState byOwner(Boolean audioMuted, Boolean videoMuted) {
        return new MuteState(audioMuted == null ? audioByOwner : audioMuted,
                videoMuted == null ? videoByOwner : videoMuted, audioByOperator, videoByOperator);
    }

    public MuteState byOperator(Boolean audioMuted, Boolean videoMuted) {
        return new MuteState(audioByOwner, videoByOwner,
                audioMuted == null ? audioByOperator : audioMuted,
                videoMuted == null ? videoByOperator : videoMuted);
    }
}
