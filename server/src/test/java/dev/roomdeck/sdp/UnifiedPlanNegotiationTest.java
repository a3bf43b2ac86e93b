package dev.roomdeck.sdp;

import static dev.roomdeck.sdp.Fixtures.SERVER;
import static dev.roomdeck.sdp.Fixtures.SERVER_FINGERPRINT;
import static dev.roomdeck.sdp.Fixtures.remoteAudio;
import static dev.roomdeck.sdp.Fixtures.remoteVideo;
import static dev.roomdeck.sdp.Fixtures.sdp;
import static dev.roomdeck.sdp.SdpAssert.bundleConsistent;
import static dev.roomdeck.sdp.SdpAssert.lines;
import static dev.roomdeck.sdp.SdpAssert.parsed;
import static dev.roomdeck.sdp.SdpAssert.section;
import static dev.roomdeck.sdp.SdpAssert.ssrcsInOneSectionEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

/** Offer/answer with one m-section per track, against offers and answers Chromium really wrote. */
class UnifiedPlanNegotiationTest {
    private static final String CHROME_STREAM = "91a99c9a-09d0-4a48-8a36-47610f9fcd7d";
    private static final OutgoingTrack ALICE_MIC = remoteAudio("alice", "alice-mic", 1111);
    private static final OutgoingTrack ALICE_CAM = remoteVideo("alice", "alice-cam", 2222, 2223);

    // ---- answers -------------------------------------------------------------------------------------------

    @Test
    void answerMirrorsEveryOfferedSectionInOrderAndReceivesWhatTheClientSends() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        SessionDescription answer = parsed(peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV)).sdp());

        assertThat(answer.media()).extracting(MediaSection::mid).containsExactly("0", "1");
        assertThat(answer.media()).extracting(MediaSection::kind).containsExactly("audio", "video");
        assertThat(answer.media()).extracting(MediaSection::direction)
                .containsExactly(Direction.RECVONLY, Direction.RECVONLY);
        assertThat(answer.bundleMids()).containsExactly("0", "1");
    }

    @Test
    void answerSessionLinesAndAudioSectionAreExactlyThese() throws SdpException {
        String answer = Fixtures.unified().answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV)).sdp();

        assertThat(answer).matches("(?s)v=0\r\no=roomdeck \\d+ 1 IN IP4 0\\.0\\.0\\.0\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS \\*\r\nm=audio .*");
        assertThat(section(answer, "0").toString()).isEqualTo(String.join("\r\n",
                "m=audio 40000 UDP/TLS/RTP/SAVPF 111",
                "c=IN IP4 127.0.0.1",
                "a=ice-ufrag:rdUf",
                "a=ice-pwd:roomdeckPasswordOf24Chr",
                "a=fingerprint:sha-256 " + SERVER_FINGERPRINT,
                "a=setup:passive",
                "a=mid:0",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
                "a=recvonly",
                "a=rtcp-mux",
                "a=rtcp-rsize",
                "a=rtpmap:111 opus/48000/2",
                "a=rtcp-fb:111 transport-cc",
                "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host",
                "a=end-of-candidates", ""));
    }

    @Test
    void answerKeepsVp8H264Vp9WithRtxAndDropsTheRest() throws SdpException {
        String answer = Fixtures.unified().answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV)).sdp();
        MediaSection video = section(answer, "1");

        assertThat(video.formats()).containsExactly("96", "97", "103", "104", "107", "108", "109", "114", "115",
                "116", "117", "118", "39", "40", "98", "99", "100", "101");
        assertThat(video.codecs()).extracting(Codec::name).containsOnly("VP8", "H264", "VP9").first()
                .isEqualTo("VP8");
        assertThat(answer).doesNotContain("AV1", "red/", "ulpfec", "flexfec", "telephone-event", "CN/", "G722");
        assertThat(lines(video)).contains("a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
                "a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
                "a=fmtp:98 profile-id=0", "a=rtcp-fb:96 goog-remb", "a=rtcp-fb:96 transport-cc",
                "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli");
        assertThat(video.extensions()).containsExactly(
                Map.entry("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 2),
                Map.entry("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", 3),
                Map.entry("urn:ietf:params:rtp-hdrext:sdes:mid", 4));
        bundleConsistent(answer);
    }

    @Test
    void vp8ComesFirstInTheAnswerEvenWhenOfferedLater() throws SdpException {
        String offer = sdp(Fixtures.CHROMIUM_SENDRECV).replace("UDP/TLS/RTP/SAVPF 96 97 103 104",
                "UDP/TLS/RTP/SAVPF 103 104 96 97");
        PeerNegotiator peer = Fixtures.unified();
        PeerNegotiator.Answer answer = peer.answerOffer(offer);

        assertThat(section(answer.sdp(), "1").formats()).startsWith("96", "97", "103", "104");
        assertThat(answer.published().get(1).codecs().get(0).name()).isEqualTo("VP8");
    }

    @Test
    void publishedTracksAndRemoteTransportComeFromTheOffer() throws SdpException {
        PeerNegotiator.Answer answer = Fixtures.unified().answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV));

        assertThat(answer.remote()).isEqualTo(new TransportDescription("2JrQ", "fRM5qDLnL8T7mcUAP6JB9VEV",
                "sha-256", "89:FA:4D:19:0B:52:12:BD:AE:B5:BB:9D:28:F5:37:BB:27:A1:A4:85:89:65:97:00:BE:8D:C5:19:14"
                + ":C7:D2:73", "actpass"));
        assertThat(answer.published()).hasSize(2);
        PublishedTrack audio = answer.published().get(0);
        assertThat(audio).isEqualTo(new PublishedTrack(CHROME_STREAM, "2440d381-0eef-4cfe-9231-72d80c9531cf",
                MediaKind.AUDIO, "0", 316653725L, 0, "iUhluZaBQkeR35GN", List.of(Fixtures.OPUS),
                Map.of("urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1,
                        "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 2,
                        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", 3,
                        "urn:ietf:params:rtp-hdrext:sdes:mid", 4), List.of()));
        PublishedTrack video = answer.published().get(1);
        assertThat(video.trackId()).isEqualTo("29b29096-270b-4e4d-b8a6-d1e6e4ce1804");
        assertThat(video.mid()).isEqualTo("1");
        assertThat(video.ssrc()).isEqualTo(1902735748L);
        assertThat(video.rtxSsrc()).isEqualTo(225003249L);
        assertThat(video.codecs().get(0)).isEqualTo(Fixtures.VP8);
        assertThat(video.codecs()).hasSize(9);
        assertThat(video.extensions()).containsOnlyKeys(MediaPolicy.ABS_SEND_TIME, MediaPolicy.TRANSPORT_CC,
                MediaPolicy.MID);
    }

    @Test
    void rembOnlyLeavesTransportCcOut() throws SdpException {
        PeerNegotiator peer = new PeerNegotiator(false, SERVER, Map.of(), PeerNegotiator.Options.REMB_ONLY);
        String answer = peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV)).sdp();
        String offer = peer.createOffer(List.of(ALICE_MIC, ALICE_CAM));

        assertThat(answer).doesNotContain("transport-cc", "transport-wide-cc").contains("a=rtcp-fb:96 goog-remb");
        assertThat(offer).doesNotContain("transport-cc", "transport-wide-cc").contains("a=rtcp-fb:96 goog-remb");
        assertThat(peer.publishedTracks().get(1).codecs().get(0).rtcpFeedback())
                .containsExactly("goog-remb", "ccm fir", "nack", "nack pli");
    }

    @Test
    void videoBitrateCapIsWrittenAsAsAndTiasAndFollowsTheLiveMap() throws SdpException {
        Map<String, Integer> caps = new ConcurrentHashMap<>();
        caps.put(CHROME_STREAM, 500);
        PeerNegotiator peer = new PeerNegotiator(false, SERVER, caps);

        String answer = peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV)).sdp();
        assertThat(lines(section(answer, "1"))).startsWith("c=IN IP4 127.0.0.1", "b=AS:500", "b=TIAS:500000");
        assertThat(lines(section(answer, "0"))).noneMatch(l -> l.startsWith("b="));

        caps.put(CHROME_STREAM, 800);
        String offer = peer.createOffer(List.of(ALICE_CAM));
        assertThat(lines(section(offer, "1"))).contains("b=AS:800", "b=TIAS:800000");
        assertThat(lines(section(offer, "2"))).noneMatch(l -> l.startsWith("b="));
        peer.dropOffer();

        caps.clear();
        assertThat(peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV)).sdp()).doesNotContain("b=AS", "b=TIAS");
    }

    @Test
    void everySdpGetsTheNextVersionOfOneSession() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        String first = peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV)).sdp();
        String second = peer.createOffer(List.of(ALICE_MIC));
        peer.dropOffer();
        String third = peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV)).sdp();

        String[] o1 = parsed(first).lines().get(1).value().split(" ");
        String[] o2 = parsed(second).lines().get(1).value().split(" ");
        String[] o3 = parsed(third).lines().get(1).value().split(" ");
        assertThat(o1[0]).isEqualTo("roomdeck");
        assertThat(o2[1]).isEqualTo(o1[1]);
        assertThat(o3[1]).isEqualTo(o1[1]);
        assertThat(List.of(o1[2], o2[2], o3[2])).containsExactly("1", "2", "3");
    }

    @Test
    void recvonlyOfferIsAnsweredInactiveWhileTheServerHasNothingToSend() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        PeerNegotiator.Answer answer = peer.answerOffer(sdp(Fixtures.CHROMIUM_RECVONLY));

        assertThat(parsed(answer.sdp()).media()).extracting(MediaSection::direction)
                .containsExactly(Direction.INACTIVE, Direction.INACTIVE);
        assertThat(parsed(answer.sdp()).bundleMids()).containsExactly("0", "1");
        assertThat(answer.published()).isEmpty();
        assertThat(answer.sdp()).doesNotContain("a=msid:", "a=ssrc");
    }

    @Test
    void dataChannelIsRejectedAndLeftOutOfBundle() throws SdpException {
        String answer = Fixtures.unified().answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST)).sdp();

        assertThat(section(answer, "1").toString())
                .isEqualTo("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n");
        assertThat(parsed(answer).bundleMids()).containsExactly("0");
    }

    @Test
    void sectionWithoutACommonCodecIsRejected() throws SdpException {
        String offer = sdp(Fixtures.CHROMIUM_SENDRECV).replaceFirst("m=video 9 UDP/TLS/RTP/SAVPF [0-9 ]+",
                "m=video 9 UDP/TLS/RTP/SAVPF 45 46");
        PeerNegotiator.Answer answer = Fixtures.unified().answerOffer(offer);

        MediaSection video = section(answer.sdp(), "1");
        assertThat(video.port()).isZero();
        assertThat(video.formats()).containsExactly("45", "46");
        assertThat(parsed(answer.sdp()).bundleMids()).containsExactly("0");
        assertThat(answer.published()).extracting(PublishedTrack::kind).containsExactly(MediaKind.AUDIO);
    }

    @Test
    void simulcastIsAnsweredAsOneEncodingUnlessEnabled() throws SdpException {
        PeerNegotiator.Answer plain = new PeerNegotiator(false, SERVER, Map.of(),
                new PeerNegotiator.Options(true, false)).answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST));
        assertThat(plain.sdp()).doesNotContain("a=rid", "a=simulcast");
        // Chrome keeps the first rid on its single encoding and insists on the rid extension later on.
        assertThat(section(plain.sdp(), "0").extensions()).containsKeys(MediaPolicy.RID, MediaPolicy.REPAIRED_RID);
        PublishedTrack single = plain.published().get(0);
        assertThat(single.layers()).isEmpty();
        assertThat(single.ssrc()).as("rid simulcast offers carry no ssrc lines").isZero();
        assertThat(single.cname()).isNull();

        PeerNegotiator withSimulcast = new PeerNegotiator(false, SERVER, Map.of(),
                new PeerNegotiator.Options(true, true));
        PeerNegotiator.Answer answer = withSimulcast.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST));
        assertThat(lines(section(answer.sdp(), "0"))).contains("a=rid:q recv", "a=rid:h recv", "a=rid:f recv",
                "a=simulcast:recv q;h;f", "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
                "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
        assertThat(answer.published().get(0).layers()).extracting(SimulcastLayer::rid).containsExactly("q", "h", "f");
    }

    // ---- server offers -------------------------------------------------------------------------------------

    @Test
    void serverOfferAddsOneSendonlySectionPerTrackInThePeersNumbering() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDRECV));
        assertThat(peer.needsOffer(List.of(ALICE_MIC, ALICE_CAM))).isTrue();

        String offer = peer.createOffer(List.of(ALICE_MIC, ALICE_CAM));

        SessionDescription sd = parsed(offer);
        assertThat(sd.media()).extracting(MediaSection::mid).containsExactly("0", "1", "2", "3");
        assertThat(sd.media()).extracting(MediaSection::direction).containsExactly(Direction.RECVONLY,
                Direction.RECVONLY, Direction.SENDONLY, Direction.SENDONLY);
        assertThat(sd.bundleMids()).containsExactly("0", "1", "2", "3");
        assertThat(sd.media()).allSatisfy(m -> assertThat(m.attribute("setup")).isEqualTo("actpass"));

        MediaSection audio = section(offer, "2");
        assertThat(audio.formats()).containsExactly("111"); // the publisher's 109 becomes this peer's 111
        assertThat(lines(audio)).contains("a=msid:alice alice-mic", "a=rtpmap:111 opus/48000/2",
                "a=fmtp:111 minptime=10;useinbandfec=1", "a=ssrc:1111 cname:cname-alice",
                "a=ssrc:1111 msid:alice alice-mic").noneMatch(l -> l.startsWith("a=ssrc-group"));

        MediaSection video = section(offer, "3");
        assertThat(video.formats()).containsExactly("96", "97"); // publisher's 100/101
        assertThat(lines(video)).containsSubsequence("a=sendonly", "a=msid:alice alice-cam", "a=rtcp-mux",
                "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 goog-remb",
                "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtpmap:97 rtx/90000",
                "a=fmtp:97 apt=96", "a=ssrc-group:FID 2222 2223", "a=ssrc:2222 cname:cname-alice",
                "a=ssrc:2222 msid:alice alice-cam", "a=ssrc:2223 cname:cname-alice",
                "a=ssrc:2223 msid:alice alice-cam", "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host",
                "a=end-of-candidates");
        // What only the server sends carries no transport-cc (see MediaPolicy).
        assertThat(audio + "" + video).doesNotContain("transport-cc", "transport-wide-cc");
        assertThat(video.extensions()).isEqualTo(section(sdp(Fixtures.CHROMIUM_SENDRECV), "1").extensions()
                .entrySet().stream().filter(e -> e.getValue() == 2 || e.getValue() == 4)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        bundleConsistent(offer);
        assertThat(peer.offerOutstanding()).isTrue();
        assertThat(peer.sendTracks()).as("nothing is agreed before the answer").isEmpty();
    }

    @Test
    void chromiumsAnswerAgreesTheOutgoingTracksAndItsReofferKeepsThem() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
        peer.createOffer(List.of(ALICE_MIC, ALICE_CAM));
        peer.applyAnswer(sdp(Fixtures.CHROMIUM_ANSWER));

        assertThat(peer.offerOutstanding()).isFalse();
        assertThat(peer.needsOffer(List.of(ALICE_MIC, ALICE_CAM))).isFalse();
        List<SendTrack> send = peer.sendTracks();
        assertThat(send).extracting(SendTrack::trackId, SendTrack::mid, SendTrack::ssrc, SendTrack::rtxSsrc)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice-mic", "2", 1111L, 0L),
                        org.assertj.core.groups.Tuple.tuple("alice-cam", "3", 2222L, 2223L));
        SendTrack cam = send.get(1);
        assertThat(cam.codecs()).containsExactly(new Codec(96, "VP8", 90000, 1, null,
                List.of("goog-remb", "ccm fir", "nack", "nack pli"), 97));
        assertThat(cam.payloadTypeMap(ALICE_CAM.publisherCodecs())).containsExactly(Map.entry(100, 96),
                Map.entry(101, 97));
        assertThat(cam.extensionIdMap(Map.of(MediaPolicy.ABS_SEND_TIME, 7, MediaPolicy.MID, 9,
                "urn:ietf:params:rtp-hdrext:toffset", 5))).containsOnly(Map.entry(7, 2)); // never the MID
        assertThat(peer.publishedTracks()).extracting(PublishedTrack::mid).containsExactly("0", "1");
        assertThat(peer.remoteTransport().setup()).isEqualTo("active");

        PeerNegotiator.Answer again = peer.answerOffer(sdp(Fixtures.CHROMIUM_REOFFER));
        assertThat(parsed(again.sdp()).media()).extracting(MediaSection::direction).containsExactly(
                Direction.RECVONLY, Direction.RECVONLY, Direction.SENDONLY, Direction.SENDONLY);
        assertThat(lines(section(again.sdp(), "3"))).contains("a=msid:alice alice-cam",
                "a=ssrc-group:FID 2222 2223", "a=ssrc:2223 msid:alice alice-cam");
        assertThat(again.published()).hasSize(2);
        assertThat(peer.sendTracks()).isEqualTo(send);
        bundleConsistent(again.sdp());
    }

    @Test
    void removedTrackLeavesAnInactiveSectionThatALaterTrackOfTheSameKindReuses() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC, ALICE_CAM);

        String removal = peer.createOffer(List.of(ALICE_MIC));
        MediaSection freed = section(removal, "3");
        assertThat(freed.direction()).isEqualTo(Direction.INACTIVE);
        assertThat(lines(freed)).noneMatch(l -> l.startsWith("a=msid") || l.startsWith("a=ssrc"));
        assertThat(parsed(removal).media()).hasSize(4);
        peer.applyAnswer(FakeClient.answering(removal).sdp());
        assertThat(peer.sendTracks()).extracting(SendTrack::trackId).containsExactly("alice-mic");

        OutgoingTrack bob = remoteVideo("bob", "bob-cam", 3333, 3334);
        String reuse = peer.createOffer(List.of(ALICE_MIC, bob));
        assertThat(parsed(reuse).media()).hasSize(4);
        assertThat(section(reuse, "3").direction()).isEqualTo(Direction.SENDONLY);
        assertThat(lines(section(reuse, "3"))).contains("a=msid:bob bob-cam", "a=ssrc-group:FID 3333 3334");
        peer.applyAnswer(FakeClient.answering(reuse).sdp());
        assertThat(peer.sendTracks()).extracting(SendTrack::trackId, SendTrack::mid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice-mic", "2"),
                        org.assertj.core.groups.Tuple.tuple("bob-cam", "3"));
    }

    @Test
    void aSectionEmptiedByAnOfferIsNotReusedInThatSameOffer() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC, ALICE_CAM);
        OutgoingTrack bob = remoteVideo("bob", "bob-cam", 3333, 3334);

        String offer = peer.createOffer(List.of(ALICE_MIC, bob));

        assertThat(section(offer, "3").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(lines(section(offer, "4"))).contains("a=sendonly", "a=msid:bob bob-cam");
    }

    @Test
    void aChangedTrackIsUpdatedInItsOwnSection() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC, ALICE_CAM);
        OutgoingTrack moved = remoteVideo("alice", "alice-cam", 5555, 5556);
        assertThat(peer.needsOffer(List.of(ALICE_MIC, moved))).isTrue();

        String offer = peer.createOffer(List.of(ALICE_MIC, moved));

        // Moving it to a new section would have the browser see its SSRCs in two places at once.
        assertThat(parsed(offer).media()).hasSize(4);
        assertThat(lines(section(offer, "3"))).contains("a=sendonly", "a=msid:alice alice-cam",
                "a=ssrc-group:FID 5555 5556");
        peer.applyAnswer(FakeClient.answering(offer).sdp());
        assertThat(peer.sendTracks().get(1).ssrc()).isEqualTo(5555L);
        assertThat(peer.needsOffer(List.of(ALICE_MIC, moved))).isFalse();
    }

    @Test
    void aTrackWithANewIdButTheSameSsrcStaysInItsSection() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC, ALICE_CAM);
        OutgoingTrack renamed = new OutgoingTrack("alice2", "alice-cam-2", ALICE_CAM.kind(), ALICE_CAM.ssrc(),
                ALICE_CAM.rtxSsrc(), ALICE_CAM.cname(), ALICE_CAM.publisherCodecs());

        String offer = peer.createOffer(List.of(ALICE_MIC, renamed));

        assertThat(parsed(offer).media()).hasSize(4);
        assertThat(section(offer, "3").attribute("msid")).isEqualTo("alice2 alice-cam-2");
        ssrcsInOneSectionEach(offer);
    }

    @Test
    void codecsThePeerNeverListedAreNotOffered() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY)); // Chromium lists VP8, VP9, H264, AV1 ...
        OutgoingTrack exotic = new OutgoingTrack("p", "p-cam", MediaKind.VIDEO, 77, 78, "p", List.of(
                new Codec(100, "VP8", 90000, 1, null, List.of(), 101),
                new Codec(102, "H264", 90000, 1, "packetization-mode=1;profile-level-id=640c34", List.of(), 103)));

        String serverOffer = peer.createOffer(List.of(exotic));

        assertThat(section(serverOffer, "2").codecs()).extracting(Codec::name).containsExactly("VP8");
    }

    @Test
    void aFreshOfferAfterAFailureUsesNewSectionsForWhatIsNotAgreed() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC, ALICE_CAM);
        String removal = peer.createOffer(List.of(ALICE_MIC)); // alice's camera leaves: section 3 goes inactive
        peer.applyAnswer(FakeClient.answering(removal).sdp());
        OutgoingTrack bob = remoteVideo("bob", "bob-cam", 3333, 3334);
        peer.createOffer(List.of(ALICE_MIC, bob)); // would recycle section 3 ...
        peer.dropOffer(); // ... but the browser said it could not apply it

        String fresh = peer.createFreshOffer(List.of(ALICE_MIC, bob));

        assertThat(section(fresh, "3").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(section(fresh, "4").attribute("msid")).isEqualTo("bob bob-cam");
        peer.applyAnswer(FakeClient.answering(fresh).sdp());
        assertThat(peer.sendTracks()).extracting(SendTrack::mid).containsExactly("2", "4");
    }

    @Test
    void aFreshOfferIsWrittenEvenWhenNothingChanged() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC, ALICE_CAM);
        assertThat(peer.needsOffer(List.of(ALICE_MIC, ALICE_CAM))).isFalse();

        String fresh = peer.createFreshOffer(List.of(ALICE_MIC, ALICE_CAM));

        assertThat(section(fresh, "3").attribute("msid")).isEqualTo("alice alice-cam");
        peer.applyAnswer(FakeClient.answering(fresh).sdp());
        assertThat(peer.sendTracks()).hasSize(2);
    }

    @Test
    void newMidsNeverCollideWithTheClientsMids() throws SdpException {
        String offer = sdp(Fixtures.CHROMIUM_RECVONLY).replace("a=mid:1", "a=mid:3")
                .replace("BUNDLE 0 1", "BUNDLE 0 3");
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(offer);
        List<OutgoingTrack> many = List.of(ALICE_MIC, ALICE_CAM, remoteAudio("b", "b-mic", 10),
                remoteVideo("b", "b-cam", 11, 12), remoteVideo("c", "c-cam", 13, 14));

        String serverOffer = peer.createOffer(many);

        // The client's own recvonly sections 0 and 3 stay its own; the server's new ones skip its mids.
        assertThat(parsed(serverOffer).media()).extracting(MediaSection::mid)
                .containsExactly("0", "3", "1", "2", "4", "5", "6");
        assertThat(section(serverOffer, "1").attribute("msid")).isEqualTo("alice alice-mic");
        assertThat(section(serverOffer, "2").attribute("msid")).isEqualTo("alice alice-cam");
    }

    @Test
    void firstServerOfferToAClientThatNeverOfferedMediaUsesChromeDefaults() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        PeerNegotiator.Answer joined = peer.answerOffer(sdp(Fixtures.CHROMIUM_EMPTY));
        assertThat(parsed(joined.sdp()).media()).isEmpty();
        assertThat(joined.sdp()).doesNotContain("a=group:BUNDLE");
        assertThat(joined.remote()).isNull();

        String offer = peer.createOffer(List.of(ALICE_MIC, ALICE_CAM));

        assertThat(section(offer, "0").formats()).containsExactly("111");
        assertThat(section(offer, "1").formats()).containsExactly("96", "97");
        assertThat(section(offer, "0").extensions()).containsExactly(Map.entry(MediaPolicy.AUDIO_LEVEL, 1),
                Map.entry(MediaPolicy.ABS_SEND_TIME, 2), Map.entry(MediaPolicy.MID, 4));
        peer.applyAnswer(FakeClient.answering(offer).sdp());
        assertThat(peer.sendTracks()).hasSize(2);
        assertThat(peer.remoteTransport()).isEqualTo(new TransportDescription(FakeClient.UFRAG, FakeClient.PWD,
                "sha-256", FakeClient.FINGERPRINT.substring(8), "active"));
    }

    @Test
    void theClientsOwnPayloadTypesAreReused() throws SdpException {
        // This client numbers H264 96/97 and VP8 98/99: the publisher's VP8 goes out as the client's 98/99.
        String offer = sdp(Fixtures.CHROMIUM_SENDRECV).replaceFirst("m=video 9 UDP/TLS/RTP/SAVPF [0-9 ]+",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99");
        offer = offer.replaceAll("a=(rtpmap|fmtp|rtcp-fb):(96|97|98|99) [^\n]*\n", "")
                .replace("a=ssrc-group:FID", "a=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=1;"
                        + "profile-level-id=42e01f\na=rtpmap:97 rtx/90000\na=fmtp:97 apt=96\na=rtpmap:98 VP8/90000\n"
                        + "a=rtpmap:99 rtx/90000\na=fmtp:99 apt=98\na=ssrc-group:FID");
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(offer);
        OutgoingTrack vp8 = new OutgoingTrack("p", "p-cam", MediaKind.VIDEO, 77, 78, "p", List.of(
                new Codec(100, "VP8", 90000, 1, null, List.of(), 101)));

        String serverOffer = peer.createOffer(List.of(vp8));

        assertThat(section(serverOffer, "2").codecs()).extracting(Codec::name, Codec::payloadType,
                Codec::rtxPayloadType).containsExactly(org.assertj.core.groups.Tuple.tuple("VP8", 98, 99));
        bundleConsistent(serverOffer);
    }

    @Test
    void payloadTypesThePeerUsesForOtherCodecsAreAvoided() throws SdpException {
        // An audio-only client that numbers red 96: the first video it is offered cannot take Chrome's usual 96.
        SessionDescription chromium = parsed(sdp(Fixtures.CHROMIUM_SENDRECV));
        MediaSection audio = chromium.media().get(0);
        String audioOnly = new SessionDescription(chromium.lines().stream()
                .map(l -> l.isAttribute("group") ? SdpLine.attribute("group", "BUNDLE " + audio.mid()) : l).toList(),
                List.of(audio)).toString().replace(" 63 ", " 96 ").replace(":63 ", ":96 ").replace("/63", "/96");
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(audioOnly);
        OutgoingTrack vp8AndVp9 = new OutgoingTrack("p", "p-cam", MediaKind.VIDEO, 77, 78, "p", List.of(
                new Codec(100, "VP8", 90000, 1, null, List.of(), 101),
                new Codec(98, "VP9", 90000, 1, "profile-id=0", List.of(), 99)));

        String serverOffer = peer.createOffer(List.of(vp8AndVp9));

        List<Codec> video = section(serverOffer, "1").codecs();
        assertThat(video).extracting(Codec::name).containsExactly("VP8", "VP9");
        assertThat(video).extracting(Codec::payloadType).doesNotContain(96, 111);
        assertThat(video).extracting(Codec::rtxPayloadType).doesNotContain(96, 111);
        bundleConsistent(serverOffer);
    }

    // ---- glare, refusal, errors ----------------------------------------------------------------------------

    @Test
    void aClientOfferDuringAnOutstandingServerOfferWinsAndTheStaleAnswerIsRefused() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
        String stale = peer.createOffer(List.of(ALICE_MIC, ALICE_CAM));
        assertThat(peer.offerOutstanding()).isTrue();

        PeerNegotiator.Answer answer = peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));

        assertThat(peer.offerOutstanding()).isFalse();
        assertThat(parsed(answer.sdp()).media()).hasSize(2);
        assertThatThrownBy(() -> peer.applyAnswer(FakeClient.answering(stale).sdp()))
                .isInstanceOf(SdpException.class)
                .hasMessage("there is no outstanding server offer this answer could answer");
        assertThat(peer.needsOffer(List.of(ALICE_MIC, ALICE_CAM))).isTrue();
    }

    @Test
    void dropOfferForgetsTheOutstandingOffer() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
        peer.createOffer(List.of(ALICE_MIC));
        assertThatThrownBy(() -> peer.createOffer(List.of(ALICE_MIC)))
                .hasMessageStartingWith("a server offer is already outstanding");

        peer.dropOffer();

        assertThat(peer.offerOutstanding()).isFalse();
        assertThat(peer.sendTracks()).isEmpty();
        assertThat(peer.mids()).containsExactly("0", "1");
        assertThat(parsed(peer.createOffer(List.of(ALICE_MIC))).media()).extracting(MediaSection::mid)
                .containsExactly("0", "1", "2");
    }

    @Test
    void anAnswerThatDoesNotMatchTheOfferIsRefusedAndChangesNothing() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
        String offer = peer.createOffer(List.of(ALICE_MIC, ALICE_CAM));
        String good = FakeClient.answering(offer).sdp();

        String tooShort = good.substring(0, good.indexOf("m=video", good.indexOf("a=mid:2")));
        assertThatThrownBy(() -> peer.applyAnswer(tooShort))
                .hasMessage("the answer has 3 m-sections but the offer had 4");
        String swapped = good.replace("a=mid:2", "a=mid:X").replace("a=mid:3", "a=mid:2").replace("a=mid:X",
                "a=mid:3");
        assertThatThrownBy(() -> peer.applyAnswer(swapped))
                .hasMessage("m-section 3 (mid 3) of the answer should have mid 2 as in the offer");
        String passive = good.replace("a=setup:active", "a=setup:passive");
        assertThatThrownBy(() -> peer.applyAnswer(passive)).hasMessageContaining("answers a=setup:passive");

        assertThat(peer.offerOutstanding()).isTrue();
        assertThat(peer.sendTracks()).isEmpty();
        peer.applyAnswer(good);
        assertThat(peer.sendTracks()).hasSize(2);
    }

    @Test
    void aTrackTheClientRejectsIsNotOfferedAgainUntilItChanges() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
        String offer = peer.createOffer(List.of(ALICE_MIC, ALICE_CAM));

        peer.applyAnswer(FakeClient.answering(offer).rejecting("3").sdp());

        assertThat(peer.sendTracks()).extracting(SendTrack::trackId).containsExactly("alice-mic");
        assertThat(peer.refusedTracks()).containsExactly(ALICE_CAM);
        assertThat(peer.needsOffer(List.of(ALICE_MIC, ALICE_CAM))).isFalse();
        assertThat(peer.needsOffer(List.of(ALICE_MIC, remoteVideo("alice", "alice-cam", 9, 10)))).isTrue();
        String next = peer.createOffer(List.of(ALICE_MIC));
        assertThat(section(next, "3").port()).as("a rejected section stays rejected").isZero();
        assertThat(parsed(next).bundleMids()).containsExactly("0", "1", "2");
    }

    @Test
    void aClientThatDeclinesToReceiveRefusesTheTrack() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC);
        // The client's own re-offer, with the server's audio section turned inactive.
        String offer = clientReofferWithServerSections(peer, sdp(Fixtures.CHROMIUM_SENDONLY), Direction.INACTIVE);

        PeerNegotiator.Answer answer = peer.answerOffer(offer);

        assertThat(section(answer.sdp(), "2").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(peer.sendTracks()).isEmpty();
        assertThat(peer.needsOffer(List.of(ALICE_MIC))).isFalse();
    }

    @Test
    void anAnswerGivenTheCurrentTracksStopsSendingTheOnesThatAreGone() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC, ALICE_CAM);
        String offer = clientReofferWithServerSections(peer, sdp(Fixtures.CHROMIUM_SENDONLY), Direction.RECVONLY);

        PeerNegotiator.Answer answer = peer.answerOffer(offer, List.of(ALICE_MIC));

        assertThat(section(answer.sdp(), "2").direction()).isEqualTo(Direction.SENDONLY);
        MediaSection gone = section(answer.sdp(), "3");
        assertThat(gone.direction()).isEqualTo(Direction.INACTIVE);
        assertThat(lines(gone)).noneMatch(l -> l.startsWith("a=msid") || l.startsWith("a=ssrc"));
        assertThat(peer.sendTracks()).extracting(SendTrack::trackId).containsExactly("alice-mic");
        assertThat(peer.refusedTracks()).isEmpty();
        assertThat(peer.needsOffer(List.of(ALICE_MIC, ALICE_CAM))).as("it may come back through an offer").isTrue();
    }

    /**
     * RTCEngine's SDK lets addTrack reuse an idle transceiver, so its offer may send its own track (sendonly) in a
     * section the server sends on. That is no refusal: the server's track goes to a new section in the next offer.
     */
    @Test
    void aClientThatTakesAServerSectionForItsOwnTrackGetsTheServerTrackInANewSection() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC);
        String offer = clientReofferWithServerSections(peer, sdp(Fixtures.CHROMIUM_SENDONLY), Direction.SENDONLY)
                .replace("a=mid:2\r\n", "a=mid:2\r\na=msid:mine my-second-mic\r\na=ssrc:4242 cname:me\r\n");

        PeerNegotiator.Answer answer = peer.answerOffer(offer);

        assertThat(section(answer.sdp(), "2").direction()).isEqualTo(Direction.RECVONLY);
        assertThat(answer.published()).extracting(PublishedTrack::trackId).contains("my-second-mic");
        assertThat(peer.sendTracks()).isEmpty();
        assertThat(peer.refusedTracks()).isEmpty();
        assertThat(peer.needsOffer(List.of(ALICE_MIC))).isTrue();
        String next = peer.createOffer(List.of(ALICE_MIC));
        assertThat(section(next, "2").attribute("msid")).isNotEqualTo("alice alice-mic");
        assertThat(next).contains("a=msid:alice alice-mic");
    }

    @Test
    void aClientThatStartsSendingInAServerSectionGetsSendrecv() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC);
        String offer = clientReofferWithServerSections(peer, sdp(Fixtures.CHROMIUM_SENDONLY), Direction.SENDRECV)
                .replace("a=mid:2\r\n", "a=mid:2\r\na=msid:mine my-second-mic\r\na=ssrc:4242 cname:me\r\n");

        PeerNegotiator.Answer answer = peer.answerOffer(offer);

        MediaSection shared = section(answer.sdp(), "2");
        assertThat(shared.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(shared.attribute("msid")).isEqualTo("alice alice-mic");
        assertThat(answer.published()).extracting(PublishedTrack::trackId, PublishedTrack::mid, PublishedTrack::ssrc)
                .contains(org.assertj.core.groups.Tuple.tuple("my-second-mic", "2", 4242L));
        assertThat(peer.sendTracks()).extracting(SendTrack::trackId).containsExactly("alice-mic");
    }

    @Test
    void anOfferMustKeepTheAgreedSections() throws SdpException {
        PeerNegotiator peer = agreed(ALICE_MIC);
        assertThatThrownBy(() -> peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY)))
                .hasMessage("the offer has 2 m-sections but 3 were agreed before; an offer must keep every"
                        + " m-section");
        String renamed = clientReofferWithServerSections(peer, sdp(Fixtures.CHROMIUM_SENDONLY), Direction.RECVONLY)
                .replace("a=mid:1", "a=mid:9").replace("BUNDLE 0 1", "BUNDLE 0 9");
        assertThatThrownBy(() -> peer.answerOffer(renamed))
                .hasMessage("m-section 2 (mid 9) replaces mid 1; an offer must keep its m-sections, in order, with"
                        + " their mids");
    }

    @Test
    void offersWithoutTransportOrBundleAreRefusedWithTheReason() {
        String offer = sdp(Fixtures.CHROMIUM_SENDRECV);
        assertRefused(SdpAssert.without(offer, "a=ice-ufrag"), "m-section 1 (mid 0) has no a=ice-ufrag");
        assertRefused(SdpAssert.without(offer, "a=ice-pwd"), "m-section 1 (mid 0) has no a=ice-pwd");
        assertRefused(SdpAssert.without(offer, "a=fingerprint"), "m-section 1 (mid 0) has no a=fingerprint");
        assertRefused(offer.replace("a=fingerprint:sha-256 89:FA", "a=fingerprint:sha-256 89-FA"),
                "m-section 1 (mid 0) has a malformed a=fingerprint: sha-256 89-FA:4D:19:0B:52:12:BD:AE:B5:BB:9D:28"
                        + ":F5:37:BB:27:A1:A4:85:89:65:97:00:BE:8D:C5:19:14:C7:D2:73");
        assertRefused(offer.replace("a=setup:actpass", "a=setup:passive"),
                "m-section 1 (mid 0) offers a=setup:passive, but the server is always the DTLS server, so the"
                        + " client must be active or actpass");
        assertRefused(SdpAssert.without(offer, "a=group:BUNDLE"), "the offer does not bundle its m-sections (no"
                + " a=group:BUNDLE); the server needs all media on one transport");
        assertRefused(SdpAssert.without(offer, "a=mid:"), "m-section 1 has no a=mid");
        assertRefused(offer.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8/ninety"),
                "m-section 2 (mid 1) has an invalid clock rate \"ninety\" for payload type 96");
        assertRefused(SdpAssert.without(offer, "a=rtpmap:96 "),
                "m-section 2 (mid 1) has no a=rtpmap for payload type 96");
    }

    @Test
    void anOfferThatGivesOnePayloadTypeTwoMeaningsIsRefused() {
        // Section 2's H264 at 103 loses its fmtp, so 103 would be H264 baseline packetization-mode 0 there, while
        // a bundled sibling (the same offer with one more video section) keeps mode 1.
        String offer = sdp(Fixtures.CHROMIUM_REOFFER);
        int second = offer.indexOf("a=mid:3");
        String broken = offer.substring(0, second) + offer.substring(second).replaceFirst(
                "a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\n", "");
        assertRefused(broken, "m-section 4 (mid 3) uses payload type 103 for H264 (h264/90000/1/4200/0), but an"
                + " earlier bundled m-section uses it for h264/90000/1/4200/1");
    }

    @Test
    void sessionLevelTransportAttributesCount() throws SdpException {
        String offer = SdpAssert.without(sdp(Fixtures.CHROMIUM_SENDRECV), "a=fingerprint")
                .replace("a=msid-semantic", "a=fingerprint:sha-256 AA:BB:CC\r\na=msid-semantic");
        assertThat(Fixtures.unified().answerOffer(offer).remote().fingerprint()).isEqualTo("AA:BB:CC");
    }

    @Test
    void unusableDesiredTracksAreRefusedInsteadOfBreakingTheOffer() throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
        OutgoingTrack noCodec = new OutgoingTrack("s", "t1", MediaKind.VIDEO, 5, 0, "c", List.of(
                new Codec(45, "AV1", 90000, 1, null, List.of(), -1)));
        OutgoingTrack spaces = new OutgoingTrack("my stream", "t2", MediaKind.AUDIO, 6, 0, "c",
                ALICE_MIC.publisherCodecs());
        OutgoingTrack sameSsrc = remoteAudio("x", "t3", 1111);
        OutgoingTrack noKind = new OutgoingTrack("s", "t4", null, 7, 0, "c", ALICE_MIC.publisherCodecs());

        String offer = peer.createOffer(java.util.Arrays.asList(ALICE_MIC, noCodec, null, spaces, sameSsrc, noKind));

        assertThat(parsed(offer).media()).hasSize(3);
        assertThat(peer.refusedTracks()).extracting(OutgoingTrack::trackId).containsExactlyInAnyOrder("t1", "t2",
                "t3", "t4");
        assertThat(peer.needsOffer(List.of(ALICE_MIC, noCodec))).isTrue();
        peer.applyAnswer(FakeClient.answering(offer).sdp());
        assertThat(peer.needsOffer(List.of(ALICE_MIC, noCodec))).isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void assertRefused(String offer, String message) {
        assertThatThrownBy(() -> Fixtures.unified().answerOffer(offer)).isInstanceOf(SdpException.class)
                .hasMessage(message);
    }

    /** A peer that published Chromium's sendonly offer and agreed to receive {@code tracks}. */
    private static PeerNegotiator agreed(OutgoingTrack... tracks) throws SdpException {
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
        peer.applyAnswer(FakeClient.answering(peer.createOffer(List.of(tracks))).sdp());
        assertThat(peer.sendTracks()).hasSize(tracks.length);
        return peer;
    }

    /**
     * A client re-offer: its own sections from {@code clientOffer}, then the server-created sections the way the
     * client would write them, with the given direction.
     */
    private static String clientReofferWithServerSections(PeerNegotiator peer, String clientOffer,
                                                          Direction direction) throws SdpException {
        SessionDescription own = SessionDescription.parse(clientOffer);
        SessionDescription server = SessionDescription.parse(peer.createOffer(
                peer.sendTracks().stream().map(UnifiedPlanNegotiationTest::outgoing).toList()));
        peer.dropOffer();
        List<MediaSection> media = new java.util.ArrayList<>(own.media());
        List<String> mids = new java.util.ArrayList<>(own.bundleMids());
        for (MediaSection m : server.media().subList(own.media().size(), server.media().size())) {
            MediaSection.Builder b = MediaSection.builder(m.kind(), 9, m.proto(), m.formats());
            b.line('c', "IN IP4 0.0.0.0");
            for (String name : List.of("ice-ufrag", "ice-pwd", "fingerprint")) {
                b.attribute(name, own.media().get(0).attribute(name));
            }
            b.attribute("setup", "actpass").attribute("mid", m.mid()).flag(direction.sdpName()).flag("rtcp-mux");
            for (SdpLine line : m.lines()) {
                if (line.isAttribute("rtpmap") || line.isAttribute("fmtp") || line.isAttribute("extmap")) {
                    b.line('a', line.value());
                }
            }
            media.add(b.build());
            mids.add(m.mid());
        }
        List<SdpLine> session = new java.util.ArrayList<>();
        for (SdpLine line : own.lines()) {
            session.add(line.isAttribute("group") ? SdpLine.attribute("group", "BUNDLE " + String.join(" ", mids))
                    : line);
        }
        return new SessionDescription(session, media).toString();
    }

    private static OutgoingTrack outgoing(SendTrack t) {
        if (t.trackId().equals(ALICE_MIC.trackId())) {
            return ALICE_MIC;
        }
        return ALICE_CAM;
    }
}
