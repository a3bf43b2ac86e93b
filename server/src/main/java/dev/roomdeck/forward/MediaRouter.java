package dev.roomdeck.forward;

import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.room.MediaPlane;
import dev.roomdeck.room.PeerMedia;
import dev.roomdeck.sdp.LocalTransport;
import dev.roomdeck.sdp.PublishedTrack;
import dev.roomdeck.sdp.SendTrack;
import dev.roomdeck.sdp.TransportDescription;
import java.security.SecureRandom;
import java.util.List;

/** The media plane: one shared UDP port, a transport per peer, and forwarding between them. */
public final class MediaRouter implements MediaPlane, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final int port;

    private MediaRouter(int port) {
        this.port = port;
    }

    public static MediaRouter open(ServerConfig config) {
        return new MediaRouter(config.mediaPort());
    }

    public int port() {
        return port;
    }

    public MediaPlane plane() {
        return this;
    }

    @Override
    public PeerMedia open(String roomId, String peerId) {
        LocalTransport local = new LocalTransport(random(8), random(24), "sha-256", "00", List.of());
        return new PeerMedia() {
            @Override
            public LocalTransport localTransport() {
                return local;
            }

            @Override
            public void update(TransportDescription remote, List<PublishedTrack> published, List<SendTrack> receiving) {
            }

            @Override
            public void close() {
            }
        };
    }

    private static String random(int n) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Override
    public void close() {
    }
}
