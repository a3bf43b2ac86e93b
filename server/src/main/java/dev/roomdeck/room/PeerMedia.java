package dev.roomdeck.room;

import dev.roomdeck.sdp.LocalTransport;
import dev.roomdeck.sdp.PublishedTrack;
import dev.roomdeck.sdp.SendTrack;
import dev.roomdeck.sdp.TransportDescription;
import java.util.List;

/** One peer's media: its transport (ICE, DTLS, SRTP) and what it publishes and receives. */
public interface PeerMedia extends AutoCloseable {
    /** ICE credentials, fingerprint and candidates the server puts into this peer's SDPs. */
    LocalTransport localTransport();

    /**
     * Negotiation settled (an answer was sent or applied): start or update the transport and forwarding.
     * Called under the room's lock: must not block.
     */
    void update(TransportDescription remote, List<PublishedTrack> published, List<SendTrack> receiving);

    /**
     * How the video of stream {@code streamId} of peer {@code publisherId} reaches this peer right now (for a
     * client's no-media report). Called under the room's lock: must not block.
     */
    VideoFlow videoFlow(String publisherId, String streamId);

    /** Asks the publisher of that stream for a keyframe (throttled per track as every keyframe request). */
    void requestKeyframe(String publisherId, String streamId);

    /** The peer left: tear the transport down at once. */
    @Override
    void close();
}
