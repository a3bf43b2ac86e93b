package dev.roomdeck.room;

/** What the media plane tells the room about one peer's media, from a media thread (never the packet path). */
public interface MediaEvents {
    /** The media died (consent timeout, ICE or DTLS failure, wrong fingerprint). reason: a short code for leave
     * (timeout, media-failed); message: a sentence for the client and operator. */
    void failed(PeerMedia media, String reason, String message);

    /**
     * The peer sends RTP on an SSRC its SDP never declared, for its m-section {@code mid} (RFC 8843 §9.2: the MID
     * header extension names the section), while the declared SSRC is silent: {@code rtx} says whether it is that
     * section's retransmission stream (its payload type is the RTX one). The room may take it as the track's SSRC.
     */
    void ssrcLearned(PeerMedia media, String mid, long ssrc, boolean rtx);

    /** The room's dominant speaker changed (peerId and msid null: nobody); levels of every audio stream now. */
    default void speakerChanged(String peerId, String msid, java.util.List<SpeakerLevel> levels) {
    }

    /** Audio levels moved (at most four times a second). */
    default void speakerLevels(java.util.List<SpeakerLevel> levels) {
    }
}
