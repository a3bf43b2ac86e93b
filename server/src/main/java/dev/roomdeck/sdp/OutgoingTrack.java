package dev.roomdeck.sdp;

import java.util.List;

/**
 * A track the server should send to this peer: another peer's {@link PublishedTrack}, described with the
 * publisher's SSRCs and codecs (publisher numbering). Equality decides "changed": a track whose fields differ
 * from the agreed one is renegotiated (old m-section inactive, a new one for the new description).
 */
public record OutgoingTrack(String streamId, String trackId, MediaKind kind, long ssrc, long rtxSsrc, String cname,
                            List<Codec> publisherCodecs) {
    public OutgoingTrack {
        publisherCodecs = publisherCodecs == null ? List.of() : List.copyOf(publisherCodecs);
    }

    /** The outgoing form of a published track (same ids, SSRCs and codecs). */
    public static OutgoingTrack of(PublishedTrack t) {
        return new OutgoingTrack(t.streamId(), t.trackId(), t.kind(), t.ssrc(), t.rtxSsrc(), t.cname(), t.codecs());
    }
}
