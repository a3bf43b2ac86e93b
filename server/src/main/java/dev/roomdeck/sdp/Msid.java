package dev.roomdeck.sdp;

/** The stream id and track id of an {@code a=msid:<stream> <track>} attribute (track may be null when absent). */
public record Msid(String streamId, String trackId) {
    static Msid parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String[] parts = value.trim().split("\\s+");
        return new Msid(parts[0], parts.length > 1 ? parts[1] : null);
    }

    @Override
    public String toString() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
