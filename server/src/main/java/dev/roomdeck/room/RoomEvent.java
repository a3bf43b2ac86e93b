package dev.roomdeck.room;

import java.time.Instant;

/** What happened in rooms, for the admin API's event stream (the console's events pane). */
public sealed interface RoomEvent {
    Instant time();

    String roomId();

    /** One line for the server log, e.g. "room weekly: u-1f joined from 10.0.0.7:51234". */
    default String describe() {
        String what;
        if (this instanceof PeerJoined e) {
            what = e.peerId() + " joined from " + e.address();
        } else if (this instanceof PeerLeft e) {
            what = e.peerId() + " left (" + e.reason() + ")";
        } else if (this instanceof StreamAdded e) {
            what = e.peerId() + " published " + e.msid();
        } else if (this instanceof StreamRemoved e) {
            what = e.peerId() + " unpublished " + e.msid();
        } else if (this instanceof StreamMuted e) {
            what = e.peerId() + " " + e.msid() + " now " + e.mute();
        } else if (this instanceof Knock e) {
            what = e.name() + " (" + e.userId() + ", " + e.address() + ") knocks: the room is locked";
        } else if (this instanceof KnockEnded e) {
            what = "knock " + e.knockId() + (e.name() == null ? "" : " (" + e.name() + ")") + " " + e.outcome();
        } else if (this instanceof StreamStopped e) {
            what = "the operator stopped " + e.peerId() + "'s stream " + e.msid();
        } else if (this instanceof SpeakerChanged e) {
            what = "speaker now " + (e.peerId() == null ? "nobody" : e.peerId());
        } else if (this instanceof DoorChanged e) {
            what = (e.locked() ? "locked" : "unlocked") + (e.pinSet() ? ", with a PIN" : "");
        } else if (this instanceof RoomOpened) {
            what = "opened";
        } else if (this instanceof RoomClosed) {
            what = "closed";
        } else {
            ClientError e = (ClientError) this;
            what = (e.peerId() == null ? "a client" : e.peerId()) + " was told " + e.code() + ": " + e.message();
        }
        return roomId() == null ? what : "room " + roomId() + ": " + what;
    }

    record PeerJoined(Instant time, String roomId, String peerId, String address) implements RoomEvent {
    }

    /** reason: left, disconnected, kicked, replaced, timeout, shutdown. */
    record PeerLeft(Instant time, String roomId, String peerId, String reason) implements RoomEvent {
    }

    record StreamAdded(Instant time, String roomId, String peerId, String msid) implements RoomEvent {
    }

    record StreamRemoved(Instant time, String roomId, String peerId, String msid) implements RoomEvent {
    }

    record StreamMuted(Instant time, String roomId, String peerId, String msid, MuteState mute) implements RoomEvent {
    }

    /** Someone waits in a locked room's lobby; the operator admits or refuses {@code knockId}. */
    record Knock(Instant time, String roomId, String knockId, String userId, String name, String address)
            implements RoomEvent {
    }

    /**
     * outcome: admitted (by the operator, or because the room was unlocked), refused, gone (the person left or
     * closed the page while waiting, or knocked again from another page). userId and name as in the Knock.
     */
    record KnockEnded(Instant time, String roomId, String knockId, String outcome, String userId, String name)
            implements RoomEvent {
        /** Without who it was (a listener that saw the Knock knows). */
        public KnockEnded(Instant time, String roomId, String knockId, String outcome) {
            this(time, roomId, knockId, outcome, null, null);
        }
    }

    /** The operator stopped a stream (a screen share): nobody receives it any more. */
    record StreamStopped(Instant time, String roomId, String peerId, String msid) implements RoomEvent {
    }

    /** The dominant speaker changed; peerId and msid are null when the speaker left. Not logged (frequent). */
    record SpeakerChanged(Instant time, String roomId, String peerId, String msid) implements RoomEvent {
    }

    /** The room's lock or PIN changed. */
    record DoorChanged(Instant time, String roomId, boolean locked, boolean pinSet) implements RoomEvent {
    }

    record RoomOpened(Instant time, String roomId) implements RoomEvent {
    }

    record RoomClosed(Instant time, String roomId) implements RoomEvent {
    }

    /** An error sent to one client; roomId and peerId are null before join. */
    record ClientError(Instant time, String roomId, String peerId, String code, String message) implements RoomEvent {
    }
}
