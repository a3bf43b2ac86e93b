package dev.roomdeck.sdp;

import java.util.List;
import java.util.Map;

/**
 * A track the client sends to the server, as its SDP describes it.
 *
 * @param mid the m-section's mid in unified-plan; null in plan-b (where one section carries many tracks)
 * @param ssrc the media SSRC; 0 when the SDP signals none (rid-based simulcast: identify packets by mid/rid)
 * @param rtxSsrc the RTX SSRC from {@code a=ssrc-group:FID}, 0 if none
 * @param cname the {@code a=ssrc:.. cname:} value, or null when there are no ssrc lines
 * @param codecs the negotiated codecs in the client's payload-type numbering, first the one it sends first
 * @param extensions negotiated header extensions, URI to the client's id
 * @param rids accepted simulcast rids (only when simulcast is enabled in the negotiator's options), else empty
 */
public record PublishedTrack(String streamId, String trackId, MediaKind kind, String mid, long ssrc, long rtxSsrc,
                             String cname, List<Codec> codecs, Map<String, Integer> extensions, List<String> rids) {
    public PublishedTrack {
        codecs = List.copyOf(codecs);
        extensions = Map.copyOf(extensions);
        rids = List.copyOf(rids);
    }
}
