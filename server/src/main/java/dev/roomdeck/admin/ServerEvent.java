package dev.roomdeck.admin;

import java.time.Instant;

/**
 * What happened in rooms, as the operator hears it ({@link AdminApi#addListener}): immutable, made of plain values,
 * so that a listener (the console's events pane, the metrics) needs nothing of the server's rooms. Every event has
 * its time and its room (null only for a {@link ClientError} before the client joined a room).
 */
public sealed interface ServerEvent {
    Instant time();

    String roomId();

    record PeerJoined(Instant time, String roomId, String peerId, String address) implements ServerEvent {
    }

    /** reason: left, disconnected, kicked, replaced, timeout, media-failed, shutdown, restart. */
    record PeerLeft(Instant time, String roomId, String peerId, String reason) implements ServerEvent {
    }

    record StreamAdded(Instant time, String roomId, String peerId, String msid) implements ServerEvent {
    }

    record StreamRemoved(Instant time, String roomId, String peerId, String msid) implements ServerEvent {
    }

    /**
     * A stream's mutes changed (by its owner or by the operator): what is muted now, and whether the operator did it
     * (as {@link StreamSnapshot} says it). A kind the operator muted is muted.
     */
    record StreamMuted(Instant time, String roomId, String peerId, String msid, boolean audioMuted,
                       boolean videoMuted, boolean audioByOperator, boolean videoByOperator) implements ServerEvent {
        public StreamMuted {
            audioMuted |= audioByOperator;
            videoMuted |= videoByOperator;
        }
    }

    /** Someone waits in a locked room's lobby; the operator admits or refuses {@code knockId}. */
    record Knock(Instant time, String roomId, String knockId, String userId, String name, String address)
            implements ServerEvent {
    }

    /**
     * outcome: admitted (by the operator, or because the room was unlocked), refused, gone (the person left or
     * closed the page while waiting, or knocked again from another page). userId and name as in the Knock.
     */
    record KnockEnded(Instant time, String roomId, String knockId, String outcome, String userId, String name)
            implements ServerEvent {
        /** Without who it was (a listener that saw the Knock knows). */
        public KnockEnded(Instant time, String roomId, String knockId, String outcome) {
            this(time, roomId, knockId, outcome, null, null);
        }
    }

    /** The operator stopped a stream (a screen share): nobody receives it any more. */
    record StreamStopped(Instant time, String roomId, String peerId, String msid) implements ServerEvent {
    }

    /** The dominant speaker changed; peerId and msid are null when nobody is the speaker any more. */
    record SpeakerChanged(Instant time, String roomId, String peerId, String msid) implements ServerEvent {
    }

    /** The room's lock or PIN changed. */
    record DoorChanged(Instant time, String roomId, boolean locked, boolean pinSet) implements ServerEvent {
    }

    record RoomOpened(Instant time, String roomId) implements ServerEvent {
    }

    record RoomClosed(Instant time, String roomId) implements ServerEvent {
    }

    /** An error sent to one client; roomId and peerId are null before join. */
    record ClientError(Instant time, String roomId, String peerId, String code, String message)
            implements ServerEvent {
    }
}
