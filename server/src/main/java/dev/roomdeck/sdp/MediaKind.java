package dev.roomdeck.sdp;

/** The two kinds of media the SFU forwards; {@link #sdpName()} is the token of the m-line. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    /** The kind for an m-line media token, or null for anything else (application, text, ...). */
    public static MediaKind fromSdp(String media) {
        for (MediaKind k : values()) {
            if (k.sdpName.equals(media)) {
                return k;
            }
        }
        return null;
    }
}
