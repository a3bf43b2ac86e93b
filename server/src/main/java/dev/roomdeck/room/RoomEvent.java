package dev.roomdeck.room;

import java.time.Instant;

/** What happened in rooms, for the admin API's event stream (the console's events pane). */
public sealed interface RoomEvent {
    Instant time();

    String roomId();

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

    record RoomOpened(Instant time, String roomId) implements RoomEvent {
    }

    record RoomClosed(Instant time, String roomId) implements RoomEvent {
    }

    /** An error sent to one client; roomId and peerId are null before join. */
    record ClientError(Instant time, String roomId, String peerId, String code, String message) implements RoomEvent {
    }
}
