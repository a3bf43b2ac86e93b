package dev.roomdeck.sdp;

/**
 * One encoding of a simulcast track, as the publisher's SDP describes it.
 *
 * @param rid the RTP stream id ({@code a=rid}); null for a plan-b {@code a=ssrc-group:SIM} layer
 * @param ssrc the layer's SSRC when the SDP names it (plan-b SIM), else 0: rid-based layers are found by the
 *             rid header extension of their packets
 * @param rtxSsrc the layer's RTX SSRC when the SDP names it ({@code a=ssrc-group:FID} of the layer), else 0: found
 *                by the repaired-rid header extension
 */
public record SimulcastLayer(String rid, long ssrc, long rtxSsrc) {
}
