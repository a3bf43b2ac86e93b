/**
 * WebRTC SDP for the SFU: a lossless model ({@link dev.roomdeck.sdp.SessionDescription},
 * {@link dev.roomdeck.sdp.MediaSection}), and per-peer offer/answer ({@link dev.roomdeck.sdp.PeerNegotiator}) in
 * unified-plan and plan-b.
 *
 * <p>Decisions the rest of the server relies on:
 * <ul>
 * <li>The server is always ICE-controlled in practice (the client makes the first offer) and always the DTLS
 * server: {@code a=setup:passive} in answers, {@code actpass} in offers; client offers with {@code setup:passive}
 * and client answers other than {@code active} are refused.</li>
 * <li>One transport: offers must bundle their sections; sections outside the BUNDLE group, non-RTP sections (data
 * channels) and sections without a common codec are rejected (port 0, left out of BUNDLE). A payload type or
 * extension id must mean one thing across the bundle.</li>
 * <li>Codecs: Opus; VP8 (always first in answers), VP9 and H264 when offered, each with its RTX. Feedback: nack,
 * nack pli, ccm fir, goog-remb, transport-cc. Extensions: sdes:mid, ssrc-audio-level, abs-send-time,
 * transport-wide-cc, and the rid extensions when the client offers rids. transport-cc and simulcast are switches
 * ({@link dev.roomdeck.sdp.PeerNegotiator.Options}); transport-cc only goes on sections where the client sends.</li>
 * <li>Simulcast (rids in {@code a=simulcast} order, or plan-b SIM groups; at most 3 layers, lowest first) reaches
 * subscribers as one stream on SSRCs the negotiator chose ({@link dev.roomdeck.sdp.PublishedTrack#layers}).</li>
 * <li>Remote tracks reach a client only through server offers; answers keep the agreed outgoing tracks (or, given
 * the current tracks, drop the gone ones). In plan-b the agreed tracks are ssrc lines in the audio/video sections,
 * in answers as well as in offers.</li>
 * <li>Server offers number payload types and extension ids the way that client already does (one numbering per
 * peer), else with Chrome's defaults, never reusing a number the peer gave another meaning.</li>
 * <li>ICE candidates are given without the {@code a=candidate:} prefix (see
 * {@link dev.roomdeck.sdp.LocalTransport}) and always end with {@code a=end-of-candidates}: no trickle.</li>
 * </ul>
 */
package dev.roomdeck.sdp;
