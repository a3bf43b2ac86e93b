package dev.roomdeck.protocol;

import java.util.List;

/**
 * Data of speaker (extension): the dominant speaker (null before anyone spoke), whether it just changed, and the
 * audio levels of the room's streams.
 */
public record SpeakerData(String peer, String msid, boolean changed, List<Level> levels) {
    public SpeakerData {
        levels = List.copyOf(levels);
    }

    /** One audio stream: smoothed level 0–100, and whether it is above the speech threshold now. */
    public record Level(String peer, String msid, int level, boolean speaking) {
    }
}
