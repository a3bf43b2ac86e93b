package dev.roomdeck.room;

/** The seam between rooms and media: gives each peer its transport and forwarding state. */
public interface MediaPlane {
    /** A new peer's media; {@code events} hears (from a media thread) if its media dies or shows an unsignalled SSRC. */
    PeerMedia open(Room room, String peerId, MediaEvents events);

    /** Mutes in a room changed (owner, operator or a subscriber's own); called under the room's lock. */
    default void mutesChanged(Room room) {
    }
}
