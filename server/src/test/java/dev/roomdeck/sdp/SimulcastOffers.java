package dev.roomdeck.sdp;

/** Simulcast offers the way browsers write them, for the simulcast tests (Chromium's own is a captured resource). */
final class SimulcastOffers {
    /**
     * Firefox 152 (hand-written in its shape): addTransceiver(audio) and addTransceiver(video) with sendEncodings
     * q/h/f. Session-level fingerprint, {@code a=msid:- <track>}, rid extensions marked {@code /sendonly}, one
     * {@code a=ssrc} per encoding and its RTX with a FID group each, but nothing that ties an SSRC to a rid.
     */
    static final String FIREFOX = """
            v=0
            o=mozilla...THIS_IS_SDPARTA-152.0 6012559328372917734 0 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=fingerprint:sha-256 3E:71:0C:A2:95:5B:18:D4:6F:2A:C0:E7:41:9B:58:03:BD:66:A9:12:F4:7C:2E:85:D0:39:6A:B1:C8:04:5F:E2
            a=group:BUNDLE 0 1
            a=ice-options:trickle
            a=msid-semantic:WMS *
            m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101
            c=IN IP4 0.0.0.0
            a=sendonly
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level
            a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
            a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
            a=fmtp:101 0-15
            a=ice-pwd:b4c1e07f2d9a38e6c5f01d7a92b3e4c8
            a=ice-ufrag:6a1f09d3
            a=mid:0
            a=msid:- {4d1c7a0e-5b92-4f3e-a8d1-2c6e9f07b345}
            a=rtcp-mux
            a=rtpmap:109 opus/48000/2
            a=rtpmap:9 G722/8000/1
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=setup:actpass
            a=ssrc:3571294806 cname:{9e2b6f41-0c7d-4a58-b3e1-7f20d8c5a964}
            m=video 9 UDP/TLS/RTP/SAVPF 120 124 121 125 126 127 97 98 123 122 119
            c=IN IP4 0.0.0.0
            a=sendonly
            a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
            a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:5 urn:ietf:params:rtp-hdrext:toffset
            a=extmap:6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
            a=extmap:7 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:8/sendonly urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
            a=extmap:9/sendonly urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
            a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1
            a=fmtp:97 profile-level-id=42e01f;level-asymmetry-allowed=1
            a=fmtp:120 max-fs=12288;max-fr=60
            a=fmtp:124 apt=120
            a=fmtp:121 max-fs=12288;max-fr=60
            a=fmtp:125 apt=121
            a=fmtp:127 apt=126
            a=fmtp:98 apt=97
            a=fmtp:119 apt=122
            a=ice-pwd:b4c1e07f2d9a38e6c5f01d7a92b3e4c8
            a=ice-ufrag:6a1f09d3
            a=mid:1
            a=msid:- {c81f3e5a-27d4-4b06-9a7e-e5b0d2f4c318}
            a=rid:q send
            a=rid:h send
            a=rid:f send
            a=rtcp-fb:120 nack
            a=rtcp-fb:120 nack pli
            a=rtcp-fb:120 ccm fir
            a=rtcp-fb:120 goog-remb
            a=rtcp-fb:120 transport-cc
            a=rtcp-fb:121 nack
            a=rtcp-fb:121 nack pli
            a=rtcp-fb:121 ccm fir
            a=rtcp-fb:121 goog-remb
            a=rtcp-fb:121 transport-cc
            a=rtcp-fb:126 nack
            a=rtcp-fb:126 nack pli
            a=rtcp-fb:126 ccm fir
            a=rtcp-fb:126 goog-remb
            a=rtcp-fb:126 transport-cc
            a=rtcp-fb:97 nack
            a=rtcp-fb:97 nack pli
            a=rtcp-fb:97 ccm fir
            a=rtcp-fb:97 goog-remb
            a=rtcp-fb:97 transport-cc
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:120 VP8/90000
            a=rtpmap:124 rtx/90000
            a=rtpmap:121 VP9/90000
            a=rtpmap:125 rtx/90000
            a=rtpmap:126 H264/90000
            a=rtpmap:127 rtx/90000
            a=rtpmap:97 H264/90000
            a=rtpmap:98 rtx/90000
            a=rtpmap:123 ulpfec/90000
            a=rtpmap:122 red/90000
            a=rtpmap:119 rtx/90000
            a=setup:actpass
            a=simulcast:send q;h;f
            a=ssrc:1240789653 cname:{9e2b6f41-0c7d-4a58-b3e1-7f20d8c5a964}
            a=ssrc:2918350417 cname:{9e2b6f41-0c7d-4a58-b3e1-7f20d8c5a964}
            a=ssrc:3604172295 cname:{9e2b6f41-0c7d-4a58-b3e1-7f20d8c5a964}
            a=ssrc:416938207 cname:{9e2b6f41-0c7d-4a58-b3e1-7f20d8c5a964}
            a=ssrc:1783025964 cname:{9e2b6f41-0c7d-4a58-b3e1-7f20d8c5a964}
            a=ssrc:2257401839 cname:{9e2b6f41-0c7d-4a58-b3e1-7f20d8c5a964}
            a=ssrc-group:FID 1240789653 416938207
            a=ssrc-group:FID 2918350417 1783025964
            a=ssrc-group:FID 3604172295 2257401839
            """;

    /** The SSRCs of Firefox's three encodings and their RTX, as its offer lists them. */
    static final long[] FIREFOX_SSRCS = {1240789653L, 2918350417L, 3604172295L, 416938207L, 1783025964L,
            2257401839L};

    /**
     * Chrome's plan-b simulcast (the "x-google" SIM group): the video of {@link Fixtures#PLANB_OFFER} sent as three
     * layers, lowest first, each with its RTX.
     */
    static String planBSimulcast() {
        String offer = Fixtures.sdp(Fixtures.PLANB_OFFER);
        String head = offer.substring(0, offer.indexOf("a=ssrc-group:FID 2231627014"));
        StringBuilder video = new StringBuilder(head);
        video.append("a=ssrc-group:SIM 2231627014 3087512904 1046352711\r\n");
        video.append("a=ssrc-group:FID 2231627014 632943048\r\n");
        video.append("a=ssrc-group:FID 3087512904 2749163352\r\n");
        video.append("a=ssrc-group:FID 1046352711 3915487026\r\n");
        for (long ssrc : PLANB_LAYER_SSRCS) {
            video.append("a=ssrc:").append(ssrc).append(" cname:EWd6ZbAdLpCSdP6T\r\n");
            video.append("a=ssrc:").append(ssrc).append(" msid:").append(PLANB_STREAM).append(' ')
                    .append(PLANB_VIDEO).append("\r\n");
            video.append("a=ssrc:").append(ssrc).append(" mslabel:").append(PLANB_STREAM).append("\r\n");
            video.append("a=ssrc:").append(ssrc).append(" label:").append(PLANB_VIDEO).append("\r\n");
        }
        return video.toString();
    }

    static final String PLANB_STREAM = "3ueWzQ1VwHbPSJbqZsuJYF2z7YbM1DhBMBlD";
    static final String PLANB_VIDEO = "9f2f0a1e-7a7d-4b6e-b3a0-3c1f0e6f2b11";
    /** The layers low to high, then their RTX in the same order. */
    static final long[] PLANB_LAYER_SSRCS = {2231627014L, 3087512904L, 1046352711L, 632943048L, 2749163352L,
            3915487026L};

    private SimulcastOffers() {
    }
}
