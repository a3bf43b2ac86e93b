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

    /** The peer left: tear the transport down at once. */
    @Override
    void close();
}
