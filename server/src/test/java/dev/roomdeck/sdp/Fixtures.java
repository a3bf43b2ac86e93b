package dev.roomdeck.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Shared test material: captured and hand-written SDPs, a server transport, codec lists. */
final class Fixtures {
    static final String SERVER_FINGERPRINT = "6B:8B:1C:2E:3F:40:51:62:73:84:95:A6:B7:C8:D9:EA:FB:0C:1D:2E:3F:40:51:62"
            + ":73:84:95:A6:B7:C8:D9:EA";
    static final LocalTransport SERVER = new LocalTransport("rdUf", "roomdeckPasswordOf24Chr", "sha-256",
            SERVER_FINGERPRINT, List.of("1 1 udp 2130706431 127.0.0.1 40000 typ host"));

    /** Chromium 150, addTrack(audio) + addTrack(video): both sections sendrecv, ICE candidates gathered. */
    static final String CHROMIUM_SENDRECV = "chromium-sendrecv-offer.sdp";
    /** Chromium 150, addTransceiver(audio/video, {direction: 'sendonly'}). */
    static final String CHROMIUM_SENDONLY = "chromium-sendonly-offer.sdp";
    /** Chromium 150, two recvonly transceivers. */
    static final String CHROMIUM_RECVONLY = "chromium-recvonly-offer.sdp";
    /** Chromium 150, no transceivers at all: zero m-sections. */
    static final String CHROMIUM_EMPTY = "chromium-empty-offer.sdp";
    /** Chromium 150, video with three rid simulcast encodings, plus a data channel. */
    static final String CHROMIUM_SIMULCAST = "chromium-simulcast-datachannel-offer.sdp";
    /** Chromium 150, the client's own re-offer after it applied a server offer with two sendonly sections. */
    static final String CHROMIUM_REOFFER = "chromium-reoffer-after-server-offer.sdp";
    /** Chromium 150, the client's answer to a server offer with two sendonly sections. */
    static final String CHROMIUM_ANSWER = "chromium-answer-to-server-offer.sdp";
    /** Hand-written plan-b offer (Chrome < 72 style): audio + video, one stream, ssrc lines with mslabel/label. */
    static final String PLANB_OFFER = "planb-offer.sdp";
    /** Hand-written plan-b offer with two video tracks (camera + screen) in the one video section. */
    static final String PLANB_TWO_VIDEO = "planb-offer-two-video.sdp";

    static final Codec OPUS = new Codec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1",
            List.of("transport-cc"), -1);
    static final Codec VP8 = new Codec(96, "VP8", 90000, 1, null,
            List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), 97);

    private Fixtures() {
    }

    static String sdp(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PeerNegotiator unified() {
        return new PeerNegotiator(false, SERVER, Map.of());
    }

    /** An audio track of another peer, its codecs numbered differently from Chrome's defaults. */
    static OutgoingTrack remoteAudio(String stream, String track, long ssrc) {
        return new OutgoingTrack(stream, track, MediaKind.AUDIO, ssrc, 0, "cname-" + stream,
                List.of(new Codec(109, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of(), -1)));
    }

    /** A video track of another peer with VP8 at 100 and its RTX at 101. */
    static OutgoingTrack remoteVideo(String stream, String track, long ssrc, long rtxSsrc) {
        return new OutgoingTrack(stream, track, MediaKind.VIDEO, ssrc, rtxSsrc, "cname-" + stream,
                List.of(new Codec(100, "VP8", 90000, 1, null, List.of("nack", "nack pli"), 101)));
    }
}
