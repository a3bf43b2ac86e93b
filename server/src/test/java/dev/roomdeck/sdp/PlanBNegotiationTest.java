package dev.roomdeck.sdp;

import static dev.roomdeck.sdp.Fixtures.SERVER;
import static dev.roomdeck.sdp.Fixtures.remoteAudio;
import static dev.roomdeck.sdp.Fixtures.remoteVideo;
import static dev.roomdeck.sdp.Fixtures.sdp;
import static dev.roomdeck.sdp.SdpAssert.bundleConsistent;
import static dev.roomdeck.sdp.SdpAssert.lines;
import static dev.roomdeck.sdp.SdpAssert.parsed;
import static dev.roomdeck.sdp.SdpAssert.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plan-b: one audio and one video section; every stream is a set of ssrc lines inside them. */
class PlanBNegotiationTest {
    private static final String STREAM = "3ueWzQ1VwHbPSJbqZsuJYF2z7YbM1DhBMBlD";
    private static final OutgoingTrack ALICE_MIC = remoteAudio("alice", "alice-mic", 1111);
    private static final OutgoingTrack ALICE_CAM = remoteVideo("alice", "alice-cam", 2222, 2223);
    private static final OutgoingTrack BOB_CAM = remoteVideo("bob", "bob-cam", 3333, 0);

    private static PeerNegotiator planB() {
        return new PeerNegotiator(true, SERVER, Map.of());
    }

    @Test
    void answerMirrorsTheTwoSectionsAndReadsTracksFromSsrcLines() throws SdpException {
        PeerNegotiator peer = planB();
        PeerNegotiator.Answer answer = peer.answerOffer(sdp(Fixtures.PLANB_OFFER));

        SessionDescription sd = parsed(answer.sdp());
        assertThat(sd.media()).extracting(MediaSection::mid).containsExactly("audio", "video");
        assertThat(sd.bundleMids()).containsExactly("audio", "video");
        assertThat(sd.media()).extracting(MediaSection::direction)
                .containsExactly(Direction.RECVONLY, Direction.RECVONLY);
        assertThat(section(answer.sdp(), "audio").formats()).containsExactly("111");
        assertThat(section(answer.sdp(), "video").formats())
                .containsExactly("96", "97", "98", "99", "100", "101", "102", "122", "107", "108");
        assertThat(answer.sdp()).doesNotContain("a=msid:", "a=ssrc");

        assertThat(answer.published()).extracting(PublishedTrack::streamId, PublishedTrack::kind,
                PublishedTrack::mid, PublishedTrack::ssrc, PublishedTrack::rtxSsrc).containsExactly(
                tuple(STREAM, MediaKind.AUDIO, null, 1511636227L, 0L),
                tuple(STREAM, MediaKind.VIDEO, null, 2231627014L, 632943048L));
        assertThat(answer.published().get(1).trackId()).isEqualTo("9f2f0a1e-7a7d-4b6e-b3a0-3c1f0e6f2b11");
        assertThat(answer.published().get(1).cname()).isEqualTo("EWd6ZbAdLpCSdP6T");
        assertThat(answer.published().get(1).codecs().get(0).name()).isEqualTo("VP8");
        assertThat(answer.remote().iceUfrag()).isEqualTo("Bs0c");
    }

    @Test
    void severalTracksInOneSectionAreAllPublished() throws SdpException {
        PeerNegotiator.Answer answer = planB().answerOffer(sdp(Fixtures.PLANB_TWO_VIDEO));

        assertThat(answer.published()).extracting(PublishedTrack::streamId, PublishedTrack::trackId,
                PublishedTrack::ssrc, PublishedTrack::rtxSsrc).containsExactly(
                tuple(STREAM, "6b3cc5f9-57ea-4b1c-9a6c-fef4e9c5d1a3", 1511636227L, 0L),
                tuple(STREAM, "9f2f0a1e-7a7d-4b6e-b3a0-3c1f0e6f2b11", 2231627014L, 632943048L),
                tuple("screen-stream-7", "screen-track-7", 3004364195L, 1126032854L));
    }

    @Test
    void serverOfferPutsRemoteStreamsIntoTheTwoSectionsAsSsrcLines() throws SdpException {
        PeerNegotiator peer = planB();
        peer.answerOffer(sdp(Fixtures.PLANB_OFFER));

        String offer = peer.createOffer(List.of(ALICE_MIC, ALICE_CAM, BOB_CAM));

        SessionDescription sd = parsed(offer);
        assertThat(sd.media()).extracting(MediaSection::mid).containsExactly("audio", "video");
        assertThat(sd.media()).extracting(MediaSection::direction)
                .containsExactly(Direction.SENDRECV, Direction.SENDRECV);
        assertThat(sd.media()).allSatisfy(m -> {
            assertThat(m.attribute("setup")).isEqualTo("actpass");
            assertThat(m.msid()).isNull();
        });
        assertThat(lines(section(offer, "audio"))).containsSubsequence("a=ssrc:1111 cname:cname-alice",
                "a=ssrc:1111 msid:alice alice-mic", "a=ssrc:1111 mslabel:alice", "a=ssrc:1111 label:alice-mic");
        MediaSection video = section(offer, "video");
        assertThat(lines(video)).containsSubsequence("a=ssrc-group:FID 2222 2223",
                "a=ssrc:2222 cname:cname-alice", "a=ssrc:2222 msid:alice alice-cam", "a=ssrc:2222 mslabel:alice",
                "a=ssrc:2222 label:alice-cam", "a=ssrc:2223 cname:cname-alice", "a=ssrc:2223 msid:alice alice-cam",
                "a=ssrc:2223 mslabel:alice", "a=ssrc:2223 label:alice-cam", "a=ssrc:3333 cname:cname-bob",
                "a=ssrc:3333 msid:bob bob-cam", "a=ssrc:3333 mslabel:bob", "a=ssrc:3333 label:bob-cam");
        assertThat(video.formats()).startsWith("96", "97").hasSize(10);
        bundleConsistent(offer);
    }

    @Test
    void theAnswerAgreesTheStreamsAndLaterAnswersKeepTheirSsrcLines() throws SdpException {
        PeerNegotiator peer = planB();
        peer.answerOffer(sdp(Fixtures.PLANB_OFFER));
        String offer = peer.createOffer(List.of(ALICE_MIC, ALICE_CAM, BOB_CAM));
        peer.applyAnswer(FakeClient.answering(offer)
                .sending("audio", "ssrc:1511636227 cname:EWd6ZbAdLpCSdP6T",
                        "ssrc:1511636227 msid:" + STREAM + " 6b3cc5f9-57ea-4b1c-9a6c-fef4e9c5d1a3")
                .sending("video", "ssrc:2231627014 cname:EWd6ZbAdLpCSdP6T",
                        "ssrc:2231627014 msid:" + STREAM + " 9f2f0a1e-7a7d-4b6e-b3a0-3c1f0e6f2b11").sdp());

        assertThat(peer.sendTracks()).extracting(SendTrack::trackId, SendTrack::mid, SendTrack::ssrc,
                SendTrack::rtxSsrc).containsExactly(tuple("alice-mic", "audio", 1111L, 0L),
                tuple("alice-cam", "video", 2222L, 2223L), tuple("bob-cam", "video", 3333L, 0L));
        assertThat(peer.sendTracks().get(1).payloadTypeMap(ALICE_CAM.publisherCodecs()))
                .containsOnly(Map.entry(100, 96), Map.entry(101, 97));
        assertThat(peer.publishedTracks()).hasSize(2);
        assertThat(peer.needsOffer(List.of(ALICE_MIC, ALICE_CAM, BOB_CAM))).isFalse();

        PeerNegotiator.Answer again = peer.answerOffer(sdp(Fixtures.PLANB_OFFER));
        assertThat(parsed(again.sdp()).media()).extracting(MediaSection::direction)
                .containsExactly(Direction.SENDRECV, Direction.SENDRECV);
        assertThat(lines(section(again.sdp(), "video"))).contains("a=ssrc-group:FID 2222 2223",
                "a=ssrc:2222 msid:alice alice-cam", "a=ssrc:3333 label:bob-cam");
        assertThat(peer.sendTracks()).hasSize(3);
    }

    @Test
    void removedStreamsLoseTheirSsrcLinesAndAnEmptySectionStopsSending() throws SdpException {
        PeerNegotiator peer = planB();
        peer.answerOffer(sdp(Fixtures.PLANB_OFFER));
        peer.applyAnswer(FakeClient.answering(peer.createOffer(List.of(ALICE_MIC, ALICE_CAM, BOB_CAM)))
                .sending("audio", "ssrc:1511636227 msid:s a").sending("video", "ssrc:2231627014 msid:s v").sdp());

        String offer = peer.createOffer(List.of(ALICE_MIC));

        assertThat(section(offer, "video").direction()).isEqualTo(Direction.RECVONLY);
        assertThat(lines(section(offer, "video"))).noneMatch(l -> l.startsWith("a=ssrc"));
        assertThat(section(offer, "audio").direction()).isEqualTo(Direction.SENDRECV);
        peer.applyAnswer(FakeClient.answering(offer).sending("audio", "ssrc:1511636227 msid:s a")
                .sending("video", "ssrc:2231627014 msid:s v").sdp());
        assertThat(peer.sendTracks()).extracting(SendTrack::trackId).containsExactly("alice-mic");
    }

    @Test
    void anAnswerGivenTheCurrentTracksDropsTheSsrcLinesOfTheGoneOnes() throws SdpException {
        PeerNegotiator peer = planB();
        peer.answerOffer(sdp(Fixtures.PLANB_OFFER));
        peer.applyAnswer(FakeClient.answering(peer.createOffer(List.of(ALICE_MIC, ALICE_CAM, BOB_CAM)))
                .sending("audio", "ssrc:1511636227 msid:s a").sending("video", "ssrc:2231627014 msid:s v").sdp());

        String answer = peer.answerOffer(sdp(Fixtures.PLANB_OFFER), List.of(ALICE_MIC, BOB_CAM)).sdp();

        assertThat(lines(section(answer, "video"))).contains("a=ssrc:3333 msid:bob bob-cam")
                .noneMatch(l -> l.contains("alice-cam"));
        assertThat(section(answer, "video").direction()).isEqualTo(Direction.SENDRECV);
        assertThat(peer.sendTracks()).extracting(SendTrack::trackId).containsExactly("alice-mic", "bob-cam");
    }

    @Test
    void aReceiveOnlyJoinGetsAudioAndVideoSectionsFromTheFirstServerOffer() throws SdpException {
        PeerNegotiator peer = planB();
        assertThat(parsed(peer.answerOffer(sdp(Fixtures.CHROMIUM_EMPTY)).sdp()).media()).isEmpty();

        String offer = peer.createOffer(List.of(ALICE_CAM, ALICE_MIC));

        assertThat(parsed(offer).media()).extracting(MediaSection::mid, MediaSection::direction)
                .containsExactly(tuple("audio", Direction.SENDONLY), tuple("video", Direction.SENDONLY));
        assertThat(section(offer, "audio").formats()).containsExactly("111");
        assertThat(section(offer, "video").formats()).containsExactly("96", "97");
        peer.applyAnswer(FakeClient.answering(offer).sdp());
        assertThat(peer.sendTracks()).extracting(SendTrack::mid).containsExactly("audio", "video");
    }

    @Test
    void videoCapCoversEveryStreamOfTheSectionOrNone() throws SdpException {
        Map<String, Integer> caps = new HashMap<>(Map.of(STREAM, 600));
        PeerNegotiator peer = new PeerNegotiator(true, SERVER, caps);
        assertThat(peer.answerOffer(sdp(Fixtures.PLANB_TWO_VIDEO)).sdp()).doesNotContain("b=AS");

        caps.put("screen-stream-7", 400);
        String answer = peer.answerOffer(sdp(Fixtures.PLANB_TWO_VIDEO)).sdp();
        assertThat(lines(section(answer, "video"))).contains("b=AS:1000", "b=TIAS:1000000");
        assertThat(lines(section(answer, "audio"))).noneMatch(l -> l.startsWith("b="));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.PLANB_OFFER, Fixtures.PLANB_TWO_VIDEO})
    void planBOffersLookPlanB(String name) throws SdpException {
        assertThat(PeerNegotiator.looksPlanB(SessionDescription.parse(sdp(name)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CHROMIUM_SENDRECV, Fixtures.CHROMIUM_SENDONLY, Fixtures.CHROMIUM_RECVONLY,
            Fixtures.CHROMIUM_EMPTY, Fixtures.CHROMIUM_SIMULCAST, Fixtures.CHROMIUM_REOFFER,
            Fixtures.CHROMIUM_ANSWER})
    void unifiedPlanSdpsDoNotLookPlanB(String name) throws SdpException {
        assertThat(PeerNegotiator.looksPlanB(SessionDescription.parse(sdp(name)))).isFalse();
    }

    @Test
    void aReceiveOnlyPlanBOfferIsRecognisedByItsMids() throws SdpException {
        String recvonly = SdpAssert.without(sdp(Fixtures.PLANB_OFFER), "a=ssrc").replace("a=sendrecv",
                "a=recvonly");
        assertThat(PeerNegotiator.looksPlanB(SessionDescription.parse(recvonly))).isTrue();
        String unifiedLookalike = SdpAssert.without(sdp(Fixtures.CHROMIUM_RECVONLY), "a=ssrc");
        assertThat(PeerNegotiator.looksPlanB(SessionDescription.parse(unifiedLookalike))).isFalse();
    }
}
