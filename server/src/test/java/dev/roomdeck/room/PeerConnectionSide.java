package dev.roomdeck.room;

import java.util.List;

/**
 * The browser end of one peer's negotiation, as the web client drives its RTCPeerConnection: a model that checks
 * Chrome's rules ({@link BrowserModel}) or a real Chromium page ({@link ChromiumPeerConnection}).
 */
interface PeerConnectionSide extends AutoCloseable {

    /** The browser refused a description, in its own words. */
    final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Starts sending a new stream: an audio and a video track, each on a new sendonly transceiver. */
    void publish(String streamId);

    /** Stops sending every track (removeTrack): their transceivers stop sending at the next offer. */
    void unpublish();

    /** A receive-only join: one recvonly audio and one recvonly video transceiver. */
    void receiveOnly();

    /** createOffer then setLocalDescription; returns the offer. */
    String createOffer() throws Refused;

    /** setRemoteDescription of the server's answer to our offer. */
    void applyAnswer(String sdp) throws Refused;

    /** setRemoteDescription of a server offer, then createAnswer and setLocalDescription; returns the answer. */
    String applyOffer(String sdp) throws Refused;

    /** Back to stable after our offer was refused. */
    void rollback();

    /** {@code "<remote stream id> <kind>"} for every transceiver that currently receives, sorted. */
    List<String> receiving();

    @Override
    void close();
}
