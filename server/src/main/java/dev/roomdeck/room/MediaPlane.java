package dev.roomdeck.room;

/** The seam between rooms and media: gives each peer its transport and forwarding state. */
public interface MediaPlane {
    /** A new peer's media; {@code events} hears (from a media thread) if its media dies or shows an unsignalled SSRC. */
    PeerMedia open(Room room, String peerId, MediaEvents events);

    /**
     * What the room wants forwarded changed (streams, mutes of any kind, video size wishes): called under the room's
     * lock after every change, with the whole plan.
     */
    default void planChanged(Room room, MediaPlan plan) {
    }
}
