package dev.roomdeck.room;

/** One audio stream's smoothed level (0–100) and whether it is above the speech threshold now. */
public record SpeakerLevel(String peerId, String msid, int level, boolean speaking) {
}
