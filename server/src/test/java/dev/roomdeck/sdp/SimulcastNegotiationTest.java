package dev.roomdeck.sdp;

import static dev.roomdeck.sdp.Fixtures.SERVER;
import static dev.roomdeck.sdp.Fixtures.remoteAudio;
import static dev.roomdeck.sdp.Fixtures.sdp;
import static dev.roomdeck.sdp.SdpAssert.bundleConsistent;
import static dev.roomdeck.sdp.SdpAssert.lines;
import static dev.roomdeck.sdp.SdpAssert.section;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

/**
 * Simulcast from publishers: the layers the server takes, lowest first; the one stream subscribers receive, on
 * SSRCs the server chose; and where transport-cc is negotiated.
 */
class SimulcastNegotiationTest {
    private static final PeerNegotiator.Options NO_SIMULCAST = new PeerNegotiator.Options(true, false);

    // ---- Chrome, unified-plan, rids ---------------------------------------------------------------------------

    @Test
    void chromesRidsAreTheLayersInSimulcastOrderWithoutSsrcs() throws SdpException {
        PeerNegotiator.Answer answer = publisher(false).answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST));

        PublishedTrack video = answer.published().get(0);
        assertThat(video.layers()).containsExactly(new SimulcastLayer("q", 0, 0), new SimulcastLayer("h", 0, 0),
                new SimulcastLayer("f", 0, 0));
        assertThat(video.extensions()).containsEntry(MediaPolicy.RID, 10).containsEntry(MediaPolicy.REPAIRED_RID, 11);
        assertThat(lines(section(answer.sdp(), "0"))).containsSubsequence("a=rid:q recv", "a=rid:h recv",
                "a=rid:f recv", "a=simulcast:recv q;h;f");
    }

    @Test
    void aSimulcastTrackIsForwardedOnSsrcsTheServerChose() throws SdpException {
        PeerNegotiator peer = publisher(false, 0, 77_000_001L, 77_000_002L);
        PublishedTrack video = peer.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST)).published().get(0);

        assertThat(video.ssrc()).as("0 is no SSRC: the next candidate is taken").isEqualTo(77_000_001L);
        assertThat(video.rtxSsrc()).as("VP8 has RTX, so the forwarded stream has RTX").isEqualTo(77_000_002L);
        assertThat(video.cname()).isNull();
    }

    @Test
    void withoutSimulcastChromeIsAnsweredAsOneEncodingAsBefore() throws SdpException {
        PeerNegotiator peer = new PeerNegotiator(false, SERVER, Map.of(), NO_SIMULCAST);
        PeerNegotiator.Answer answer = peer.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST));

        assertThat(answer.sdp()).doesNotContain("a=rid:", "a=simulcast");
        PublishedTrack video = answer.published().get(0);
        assertThat(video.layers()).isEmpty();
        assertThat(video.ssrc()).as("learned from the MID extension later").isZero();
        assertThat(peer.learnSsrc("0", 4321, false)).isTrue();
        assertThat(peer.publishedTracks().get(0).ssrc()).isEqualTo(4321);
    }

    @Test
    void aSimulcastTrackIsNeverLearnedFromItsPackets() throws SdpException {
        PeerNegotiator peer = publisher(false);
        PublishedTrack video = peer.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST)).published().get(0);

        assertThat(peer.learnSsrc("0", 4321, false)).isFalse();
        assertThat(peer.learnSsrc("0", 4322, true)).isFalse();
        assertThat(peer.publishedTracks()).containsExactly(video);
    }

    @Test
    void ridsFollowTheSimulcastLineSkippingPausedAlternativesUndeclaredAndMoreThanThree() throws SdpException {
        String offer = sdp(Fixtures.CHROMIUM_SIMULCAST).replace(
                "a=rid:q send\na=rid:h send\na=rid:f send\na=simulcast:send q;h;f",
                "a=rid:f send\na=rid:x send\na=rid:h send\na=rid:q send\na=rid:a send\na=rid:g send\n"
                        + "a=simulcast:send ~x;q,a;u;h;f;g");
        PeerNegotiator.Answer answer = publisher(false).answerOffer(offer);

        assertThat(answer.published().get(0).layers()).extracting(SimulcastLayer::rid).containsExactly("q", "h", "f");
        MediaSection video = section(answer.sdp(), "0");
        assertThat(video.rids("recv")).containsExactly("q", "h", "f");
        assertThat(video.attributes("simulcast")).containsExactly("recv q;h;f");
    }

    @Test
    void oneRidIsNoSimulcast() throws SdpException {
        String offer = sdp(Fixtures.CHROMIUM_SIMULCAST).replace("a=simulcast:send q;h;f", "a=simulcast:send q");
        PeerNegotiator.Answer answer = publisher(false).answerOffer(offer);

        assertThat(answer.published().get(0).layers()).isEmpty();
        assertThat(answer.published().get(0).ssrc()).isZero();
        assertThat(answer.sdp()).doesNotContain("a=simulcast");
    }

    // ---- Firefox ----------------------------------------------------------------------------------------------

    @Test
    void firefoxsRidsAreTheLayersAndItsSsrcLinesAreNeverTheForwardedOnes() throws SdpException {
        long[] candidates = new long[SimulcastOffers.FIREFOX_SSRCS.length + 2];
        System.arraycopy(SimulcastOffers.FIREFOX_SSRCS, 0, candidates, 0, SimulcastOffers.FIREFOX_SSRCS.length);
        candidates[candidates.length - 2] = 88_000_001L;
        candidates[candidates.length - 1] = 88_000_002L;
        PeerNegotiator peer = publisher(false, candidates);

        PeerNegotiator.Answer answer = peer.answerOffer(SimulcastOffers.FIREFOX);

        PublishedTrack video = answer.published().get(1);
        assertThat(video.trackId()).isEqualTo("{c81f3e5a-27d4-4b06-9a7e-e5b0d2f4c318}");
        assertThat(video.layers()).as("Firefox's SSRCs are not tied to its rids in the SDP").containsExactly(
                new SimulcastLayer("q", 0, 0), new SimulcastLayer("h", 0, 0), new SimulcastLayer("f", 0, 0));
        assertThat(video.ssrc()).isEqualTo(88_000_001L);
        assertThat(video.rtxSsrc()).isEqualTo(88_000_002L);
        assertThat(video.extensions()).containsEntry(MediaPolicy.RID, 8).containsEntry(MediaPolicy.REPAIRED_RID, 9);
        assertThat(answer.published().get(0).ssrc()).as("audio is one encoding, as before").isEqualTo(3571294806L);
        assertThat(lines(section(answer.sdp(), "1"))).containsSubsequence("a=rid:q recv", "a=rid:h recv",
                "a=rid:f recv", "a=simulcast:recv q;h;f");
        bundleConsistent(answer.sdp());
    }

    @Test
    void withoutSimulcastFirefoxsFirstEncodingIsTheTrackAsBefore() throws SdpException {
        PeerNegotiator peer = new PeerNegotiator(false, SERVER, Map.of(), NO_SIMULCAST);
        PeerNegotiator.Answer answer = peer.answerOffer(SimulcastOffers.FIREFOX);

        assertThat(answer.sdp()).doesNotContain("a=simulcast", "a=rid:");
        assertThat(answer.published().get(1)).extracting(PublishedTrack::ssrc, PublishedTrack::rtxSsrc,
                PublishedTrack::layers).containsExactly(1240789653L, 416938207L, List.of());
    }

    // ---- plan-b SIM -------------------------------------------------------------------------------------------

    @Test
    void planBSimLayersAreTheGroupsSsrcsInOrderWithTheirRtx() throws SdpException {
        PeerNegotiator peer = publisher(true, 99_000_001L, 99_000_002L);
        PeerNegotiator.Answer answer = peer.answerOffer(SimulcastOffers.planBSimulcast());

        assertThat(answer.published()).hasSize(2);
        PublishedTrack video = answer.published().get(1);
        assertThat(video.trackId()).isEqualTo(SimulcastOffers.PLANB_VIDEO);
        assertThat(video.layers()).containsExactly(new SimulcastLayer(null, 2231627014L, 632943048L),
                new SimulcastLayer(null, 3087512904L, 2749163352L), new SimulcastLayer(null, 1046352711L, 3915487026L));
        assertThat(video.ssrc()).isEqualTo(99_000_001L);
        assertThat(video.rtxSsrc()).isEqualTo(99_000_002L);
        assertThat(answer.sdp()).as("plan-b answers need nothing for simulcast").doesNotContain("a=rid", "a=simulcast");
    }

    @Test
    void withoutSimulcastThePlanBTrackIsItsFirstLayerAsBefore() throws SdpException {
        PeerNegotiator peer = new PeerNegotiator(true, SERVER, Map.of(), NO_SIMULCAST);
        PeerNegotiator.Answer answer = peer.answerOffer(SimulcastOffers.planBSimulcast());

        assertThat(answer.published()).hasSize(2);
        assertThat(answer.published().get(1)).extracting(PublishedTrack::ssrc, PublishedTrack::rtxSsrc,
                PublishedTrack::layers).containsExactly(2231627014L, 632943048L, List.of());
    }

    @Test
    void aFourthSimLayerIsLeftOut() throws SdpException {
        String offer = SimulcastOffers.planBSimulcast().replace("a=ssrc-group:SIM 2231627014 3087512904 1046352711",
                "a=ssrc-group:SIM 2231627014 3087512904 1046352711 555");
        PublishedTrack video = publisher(true).answerOffer(offer).published().get(1);

        assertThat(video.layers()).extracting(SimulcastLayer::ssrc).containsExactly(2231627014L, 3087512904L,
                1046352711L);
    }

    @Test
    void aSimGroupInAUnifiedPlanSectionIsSimulcastToo() throws SdpException {
        // Chrome unified-plan with the SIM group munged in, as some apps still do.
        String offer = sdp(Fixtures.CHROMIUM_SENDONLY);
        String video = offer.substring(offer.indexOf("m=video"));
        String ssrcs = video.substring(video.indexOf("a=ssrc-group:FID"));
        String[] fid = ssrcs.substring(0, ssrcs.indexOf('\n')).trim().split(" ");
        long media = Long.parseLong(fid[1]);
        String munged = offer.replace(ssrcs, ssrcs + "a=ssrc-group:SIM " + media + " 501 502\n"
                + "a=ssrc-group:FID 501 601\na=ssrc-group:FID 502 602\n");
        PublishedTrack track = publisher(false).answerOffer(munged).published().get(1);

        assertThat(track.layers()).containsExactly(new SimulcastLayer(null, media, Long.parseLong(fid[2])),
                new SimulcastLayer(null, 501, 601), new SimulcastLayer(null, 502, 602));
        assertThat(track.ssrc()).isNotIn(media, 501L, 502L, 0L);
    }

    // ---- forwarded SSRCs across renegotiations ----------------------------------------------------------------

    @Test
    void forwardedSsrcsStayTheSameAcrossTheSamePeersRenegotiations() throws SdpException {
        PeerNegotiator unified = publisher(false);
        PublishedTrack first = unified.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST)).published().get(0);
        assertThat(unified.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST)).published()).containsExactly(first);
        // ... and the client's answer to a server offer
        unified.applyAnswer(FakeClient.answering(unified.createOffer(List.of(remoteAudio("bo", "bo-mic", 5))))
                .sending("0", "msid:" + first.streamId() + " " + first.trackId()).sdp());
        assertThat(unified.publishedTracks()).containsExactly(first);

        PeerNegotiator planB = publisher(true);
        PublishedTrack planBFirst = planB.answerOffer(SimulcastOffers.planBSimulcast()).published().get(1);
        assertThat(planB.answerOffer(SimulcastOffers.planBSimulcast()).published().get(1)).isEqualTo(planBFirst);
    }

    @Test
    void aForwardedSsrcThePeersSdpStartsToUseIsReplaced() throws SdpException {
        PeerNegotiator peer = publisher(false, 1001, 1002, 1003);
        assertThat(peer.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST)).published().get(0).ssrc()).isEqualTo(1001);

        // The client's re-offer now names SSRC 1001 itself (as Firefox lists its encodings' SSRCs).
        String reoffer = sdp(Fixtures.CHROMIUM_SIMULCAST).replace("a=simulcast:send q;h;f",
                "a=simulcast:send q;h;f\na=ssrc:1001 cname:x");
        PeerNegotiator.Answer answer = peer.answerOffer(reoffer);

        assertThat(answer.published().get(0)).extracting(PublishedTrack::ssrc, PublishedTrack::rtxSsrc)
                .as("only the SSRC that collides changes").containsExactly(1003L, 1002L);
    }

    // ---- subscribers ------------------------------------------------------------------------------------------

    @Test
    void subscribersAreOfferedTheForwardedStreamNotALayer() throws SdpException {
        PublishedTrack rid = publisher(false).answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST)).published().get(0);
        PublishedTrack sim = publisher(true).answerOffer(SimulcastOffers.planBSimulcast()).published().get(1);
        OutgoingTrack ridOut = OutgoingTrack.of(rid);
        OutgoingTrack simOut = OutgoingTrack.of(sim);
        assertThat(ridOut.ssrc()).isEqualTo(rid.ssrc());
        assertThat(simOut.rtxSsrc()).isEqualTo(sim.rtxSsrc());

        PeerNegotiator unified = Fixtures.unified();
        unified.answerOffer(sdp(Fixtures.CHROMIUM_SENDONLY));
        String offer = unified.createOffer(List.of(ridOut, simOut));
        unified.applyAnswer(FakeClient.answering(offer).sdp());
        PeerNegotiator planB = new PeerNegotiator(true, SERVER, Map.of());
        planB.answerOffer(sdp(Fixtures.PLANB_OFFER));
        String planBOffer = planB.createOffer(List.of(ridOut, simOut));

        for (String subscriberOffer : List.of(offer, planBOffer)) {
            assertThat(subscriberOffer).contains("a=ssrc-group:FID " + rid.ssrc() + " " + rid.rtxSsrc(),
                    "a=ssrc-group:FID " + sim.ssrc() + " " + sim.rtxSsrc()).doesNotContain("a=simulcast");
            for (long layer : SimulcastOffers.PLANB_LAYER_SSRCS) {
                assertThat(subscriberOffer).doesNotContain("a=ssrc:" + layer + " ");
            }
        }
        assertThat(unified.sendTracks()).extracting(SendTrack::ssrc, SendTrack::rtxSsrc).containsExactly(
                org.assertj.core.groups.Tuple.tuple(rid.ssrc(), rid.rtxSsrc()),
                org.assertj.core.groups.Tuple.tuple(sim.ssrc(), sim.rtxSsrc()));
    }

    // ---- transport-cc per direction ---------------------------------------------------------------------------

    @Test
    void transportCcIsNegotiatedWhereTheClientSendsOnly() throws SdpException {
        PeerNegotiator peer = publisher(false);
        String answer = peer.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST)).sdp();
        assertThat(lines(section(answer, "0"))).contains("a=rtcp-fb:96 transport-cc", "a=rtcp-fb:96 goog-remb",
                "a=extmap:4 " + MediaPolicy.TRANSPORT_CC);

        String offer = peer.createOffer(List.of(remoteAudio("bo", "bo-mic", 5),
                Fixtures.remoteVideo("bo", "bo-cam", 6, 7)));
        for (String mid : List.of("2", "3")) {
            MediaSection sent = section(offer, mid);
            assertThat(sent.direction()).isEqualTo(Direction.SENDONLY);
            assertThat(sent.toString()).doesNotContain("transport-cc", MediaPolicy.TRANSPORT_CC)
                    .contains(MediaPolicy.ABS_SEND_TIME);
        }
        assertThat(lines(section(offer, "3"))).contains("a=rtcp-fb:96 goog-remb");
        peer.applyAnswer(FakeClient.answering(offer).sdp());
        assertThat(peer.sendTracks()).allSatisfy(t -> {
            assertThat(t.extensions()).doesNotContainKey(MediaPolicy.TRANSPORT_CC);
            assertThat(t.codecs()).allSatisfy(c -> assertThat(c.rtcpFeedback()).doesNotContain("transport-cc"));
        });
        assertThat(lines(section(offer, "0"))).as("the client's sending section keeps it in server offers too")
                .contains("a=rtcp-fb:96 transport-cc");
    }

    @Test
    void aReceiveOnlyClientIsAnsweredWithoutTransportCc() throws SdpException {
        String answer = Fixtures.unified().answerOffer(sdp(Fixtures.CHROMIUM_RECVONLY)).sdp();

        assertThat(answer).doesNotContain("transport-cc", MediaPolicy.TRANSPORT_CC).contains("goog-remb",
                MediaPolicy.ABS_SEND_TIME);
    }

    /**
     * A sendrecv section has one extension map for both directions: it negotiates transport-cc for what the client
     * sends, and what the server sends there goes without a transport-wide sequence number (the client estimates
     * it from abs-send-time and reports by REMB, still negotiated).
     */
    @Test
    void aSendrecvSectionNegotiatesTransportCcButTheForwardedPacketsCarryNone() throws SdpException {
        PeerNegotiator peer = new PeerNegotiator(true, SERVER, Map.of());
        peer.answerOffer(sdp(Fixtures.PLANB_OFFER));
        OutgoingTrack cam = Fixtures.remoteVideo("bo", "bo-cam", 6, 7);
        String offer = peer.createOffer(List.of(cam));

        MediaSection video = section(offer, "video");
        assertThat(video.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(lines(video)).contains("a=extmap:5 " + MediaPolicy.TRANSPORT_CC, "a=rtcp-fb:96 transport-cc",
                "a=rtcp-fb:96 goog-remb", "a=extmap:3 " + MediaPolicy.ABS_SEND_TIME);
        peer.applyAnswer(FakeClient.answering(offer).sending("video", "ssrc:2231627014 msid:s v").sdp());

        SendTrack sent = peer.sendTracks().get(0);
        assertThat(sent.extensions()).containsKey(MediaPolicy.TRANSPORT_CC);
        Map<String, Integer> publisher = Map.of(MediaPolicy.TRANSPORT_CC, 3, MediaPolicy.ABS_SEND_TIME, 2,
                MediaPolicy.RID, 10, MediaPolicy.REPAIRED_RID, 11, MediaPolicy.MID, 4);
        assertThat(sent.extensionIdMap(publisher)).containsOnly(Map.entry(2, 3));
    }

    @Test
    void rembOnlyNegotiatesNeitherTransportCcNorSimulcast() throws SdpException {
        PeerNegotiator peer = new PeerNegotiator(false, SERVER, Map.of(), PeerNegotiator.Options.REMB_ONLY);
        PeerNegotiator.Answer answer = peer.answerOffer(sdp(Fixtures.CHROMIUM_SIMULCAST));

        assertThat(answer.sdp()).doesNotContain("transport-cc", MediaPolicy.TRANSPORT_CC, "a=simulcast");
        assertThat(answer.published().get(0).layers()).isEmpty();
        PeerNegotiator planB = new PeerNegotiator(true, SERVER, Map.of(), PeerNegotiator.Options.REMB_ONLY);
        assertThat(planB.answerOffer(SimulcastOffers.planBSimulcast()).published().get(1).layers()).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A peer with transport-cc and simulcast on ({@link PeerNegotiator.Options#DEFAULT}). */
    private static PeerNegotiator publisher(boolean planB) {
        return new PeerNegotiator(planB, SERVER, Map.of(), PeerNegotiator.Options.DEFAULT);
    }

    /** Such a peer that tries these forwarded SSRCs first, in order (then random ones). */
    private static PeerNegotiator publisher(boolean planB, long... candidates) {
        List<Long> queue = new ArrayList<>(Arrays.stream(candidates).boxed().toList());
        LongSupplier next = () -> queue.isEmpty() ? 1 + (long) (Math.random() * 0xFFFFFFFEL) : queue.remove(0);
        return new PeerNegotiator(planB, SERVER, PeerNegotiator.Options.DEFAULT, next);
    }
}
