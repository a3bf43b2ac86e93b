package dev.roomdeck.room;

import dev.roomdeck.sdp.LocalTransport;
import dev.roomdeck.sdp.PublishedTrack;
import dev.roomdeck.sdp.SendTrack;
import dev.roomdeck.sdp.TransportDescription;
import java.util.List;

/** A media plane without media, for tests of negotiation alone: every peer gets the same server transport. */
final class NoMedia implements MediaPlane {
    static final LocalTransport SERVER = new LocalTransport("srvU", "serverPasswordOf24Chars1", "sha-256",
            "6B:8B:1C:2E:3F:40:51:62:73:84:95:A6:B7:C8:D9:EA:FB:0C:1D:2E:3F:40:51:62:73:84:95:A6:B7:C8:D9:EA",
            List.of("1 1 udp 2130706431 127.0.0.1 10000 typ host"));

    @Override
    public PeerMedia open(Room room, String peerId, MediaEvents events) {
        return new PeerMedia() {
            @Override
            public LocalTransport localTransport() {
                return SERVER;
            }

            @Override
            public void update(TransportDescription remote, List<PublishedTrack> published, List<SendTrack> receiving) {
            }

            /** No media plane, so nothing is forwarded: a no-media report is answered with a fresh offer. */
            @Override
            public VideoFlow videoFlow(String publisherId, String streamId) {
                return VideoFlow.NOT_FORWARDED;
            }

            @Override
            public void requestKeyframe(String publisherId, String streamId) {
            }

            @Override
            public void close() {
            }
        };
    }
}
