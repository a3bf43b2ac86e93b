package dev.roomdeck.sdp;

import java.util.List;
import java.util.Map;

/**
 * A track the client sends to the server, as its SDP describes it.
 *
 * <p>A simulcast track ({@link #layers} not empty) reaches subscribers as one stream that the server assembles from
 * one layer at a time: {@link #ssrc} and {@link #rtxSsrc} are then the server's SSRCs for that stream (chosen by
 * the negotiator, stable for the track), and the publisher's SSRCs are only in the layers.
 *
 * @param mid the m-section's mid in unified-plan; null in plan-b (where one section carries many tracks)
 * @param ssrc the media SSRC; 0 when the SDP signals none (a single encoding without ssrc lines: identify packets
 *             by mid); for simulcast, the SSRC of the forwarded stream
 * @param rtxSsrc the RTX SSRC from {@code a=ssrc-group:FID}, 0 if none; for simulcast, the forwarded RTX SSRC
 * @param cname the {@code a=ssrc:.. cname:} value, or null when there are no ssrc lines
 * @param codecs the negotiated codecs in the client's payload-type numbering, first the one it sends first
 * @param extensions negotiated header extensions, URI to the client's id
 * @param layers the simulcast encodings, lowest resolution first (only when simulcast is enabled in the
 *               negotiator's options and the client sends at least two); empty for a single encoding
 */
public record PublishedTrack(String streamId, String trackId, MediaKind kind, String mid, long ssrc, long rtxSsrc,
                             String cname, List<Codec> codecs, Map<String, Integer> extensions,
                             List<SimulcastLayer> layers) {
    public PublishedTrack {
        codecs = List.copyOf(codecs);
        extensions = Map.copyOf(extensions);
        layers = List.copyOf(layers);
    }

    public boolean simulcast() {
        return !layers.isEmpty();
    }

    /** The same track described with other SSRCs (learned from the wire, or chosen for the forwarded stream). */
    PublishedTrack withSsrcs(long newSsrc, long newRtxSsrc) {
        return new PublishedTrack(streamId, trackId, kind, mid, newSsrc, newRtxSsrc, cname, codecs, extensions,
                layers);
    }
}
