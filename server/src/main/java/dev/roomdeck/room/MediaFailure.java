package dev.roomdeck.room;

/** The media plane reports a peer whose media died (consent timeout, ICE or DTLS failure, wrong fingerprint). */
@FunctionalInterface
public interface MediaFailure {
    /** reason: a short code for leave (timeout, media-failed); message: a sentence for the client and operator. */
    void failed(PeerMedia media, String reason, String message);
}
