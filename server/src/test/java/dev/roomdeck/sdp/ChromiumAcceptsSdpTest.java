package dev.roomdeck.sdp;

import static dev.roomdeck.sdp.Fixtures.remoteAudio;
import static dev.roomdeck.sdp.Fixtures.remoteVideo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real Chromium takes what the server writes: answers to its offers, server offers (new tracks, removal,
 * recycling, glare), receive-only joins, simulcast and data-channel offers. Runs only inside a network namespace
 * that has nothing but loopback (e.g. {@code unshare -n sh -c 'ip link set lo up; mvn -o ...'}); skipped elsewhere.
 * With {@code -Droomdeck.sdp.capture=<dir>} it also writes the SDPs Chromium produced there (the test resources
 * were made that way).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChromiumAcceptsSdpTest {
    private static final String SETUP = """
            window.events = window.events || [];
            window.watch = pc => {
              pc.ontrack = e => {
                const s = e.streams[0];
                events.push('track ' + e.transceiver.mid + ' ' + e.track.kind + ' ' + (s ? s.id : '-'));
                if (s) s.onremovetrack = ev => events.push('removetrack ' + s.id + ' ' + ev.track.kind);
              };
            };
            window.pcs = window.pcs || {};
            // A zero-section offer cannot be set locally under max-bundle (no BUNDLE group): such clients use the
            // default policy.
            pcs[args[0]] = new RTCPeerConnection({bundlePolicy: args[1] || 'max-bundle', rtcpMuxPolicy: 'require'});
            watch(pcs[args[0]]);
            return 'ok';""";
    private static final String OFFER = """
            const pc = pcs[args[0]];
            await pc.setLocalDescription(await pc.createOffer());
            return pc.localDescription.sdp;""";
    private static final String TAKE_ANSWER = """
            await pcs[args[0]].setRemoteDescription({type: 'answer', sdp: args[1]});
            return 'ok';""";
    private static final String TAKE_OFFER = """
            const pc = pcs[args[0]];
            await pc.setRemoteDescription({type: 'offer', sdp: args[1]});
            await pc.setLocalDescription(await pc.createAnswer());
            return pc.localDescription.sdp;""";
    private static final String DIRECTIONS = """
            return pcs[args[0]].getTransceivers().map(t => t.mid + ':' + t.currentDirection).join(',');""";
    private static final String EVENTS = """
            await new Promise(r => setTimeout(r, 50));
            const e = events.join('|'); events.length = 0; return e;""";

    private Chromium chromium;

    @BeforeAll
    void start() throws IOException {
        assumeTrue(Chromium.usable(), "needs Chromium inside a network namespace with only loopback up");
        chromium = new Chromium();
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private String js(String body, Object... args) {
        String result = chromium.text(body, args);
        assertThat(result).as("Chromium said").doesNotStartWith("ERROR");
        return result;
    }

    private static void capture(String name, String sdp) throws IOException {
        String dir = System.getProperty("roomdeck.sdp.capture");
        if (dir != null) {
            Files.writeString(Path.of(dir, name), sdp);
        }
    }

    @Test
    void publisherGetsAnAnswerThenRemoteTracksThroughServerOffers() throws Exception {
        js(SETUP, "pub");
        String offer = js("""
                const s = await navigator.mediaDevices.getUserMedia({audio: true, video: true});
                const pc = pcs[args[0]];
                s.getTracks().forEach(t => pc.addTransceiver(t, {direction: 'sendonly', streams: [s]}));
                await pc.setLocalDescription(await pc.createOffer());
                return pc.localDescription.sdp;""", "pub");
        capture(Fixtures.CHROMIUM_SENDONLY, offer);
        Map<String, Integer> caps = new ConcurrentHashMap<>();
        PeerNegotiator peer = new PeerNegotiator(false, Fixtures.SERVER, caps);
        String streamId = SessionDescription.parse(offer).media().get(1).msid().streamId();
        caps.put(streamId, 700);

        PeerNegotiator.Answer answer = peer.answerOffer(offer);
        assertThat(answer.published()).hasSize(2);
        assertThat(answer.sdp()).contains("b=AS:700");
        assertThat(js(TAKE_ANSWER, "pub", answer.sdp())).isEqualTo("ok");
        assertThat(js(DIRECTIONS, "pub")).isEqualTo("0:sendonly,1:sendonly");

        // Another peer's audio and video reach this client through a server offer.
        OutgoingTrack audio = remoteAudio("alice", "alice-mic", 1111);
        OutgoingTrack video = remoteVideo("alice", "alice-cam", 2222, 2223);
        assertThat(peer.needsOffer(List.of(audio, video))).isTrue();
        String serverOffer = peer.createOffer(List.of(audio, video));
        String clientAnswer = js(TAKE_OFFER, "pub", serverOffer);
        capture(Fixtures.CHROMIUM_ANSWER, clientAnswer);
        peer.applyAnswer(clientAnswer);
        assertThat(js(EVENTS)).isEqualTo("track 2 audio alice|track 3 video alice");
        assertThat(js(DIRECTIONS, "pub")).isEqualTo("0:sendonly,1:sendonly,2:recvonly,3:recvonly");
        assertThat(peer.sendTracks()).extracting(SendTrack::mid).containsExactly("2", "3");
        assertThat(peer.needsOffer(List.of(audio, video))).isFalse();

        // The client renegotiates on its own: the server's sections keep sending.
        String reoffer = js(OFFER, "pub");
        capture(Fixtures.CHROMIUM_REOFFER, reoffer);
        PeerNegotiator.Answer second = peer.answerOffer(reoffer);
        assertThat(js(TAKE_ANSWER, "pub", second.sdp())).isEqualTo("ok");
        assertThat(js(DIRECTIONS, "pub")).isEqualTo("0:sendonly,1:sendonly,2:recvonly,3:recvonly");
        assertThat(js(EVENTS)).isEmpty();

        // Alice's video goes away: its section turns inactive and the stream loses the track.
        String removal = peer.createOffer(List.of(audio));
        peer.applyAnswer(js(TAKE_OFFER, "pub", removal));
        assertThat(js(EVENTS)).isEqualTo("removetrack alice video");
        assertThat(js(DIRECTIONS, "pub")).isEqualTo("0:sendonly,1:sendonly,2:recvonly,3:inactive");

        // Bob's video recycles that section.
        OutgoingTrack bob = remoteVideo("bob", "bob-cam", 3333, 3334);
        peer.applyAnswer(js(TAKE_OFFER, "pub", peer.createOffer(List.of(audio, bob))));
        assertThat(js(EVENTS)).isEqualTo("track 3 video bob");
        assertThat(js(DIRECTIONS, "pub")).isEqualTo("0:sendonly,1:sendonly,2:recvonly,3:recvonly");

        // Glare: the client offers while a server offer is outstanding; the server yields.
        OutgoingTrack carol = remoteVideo("carol", "carol-cam", 4444, 4445);
        peer.createOffer(List.of(audio, bob, carol));
        String glaringOffer = js(OFFER, "pub");
        peer.dropOffer();
        PeerNegotiator.Answer third = peer.answerOffer(glaringOffer);
        assertThat(js(TAKE_ANSWER, "pub", third.sdp())).isEqualTo("ok");
        assertThat(peer.needsOffer(List.of(audio, bob, carol))).isTrue();
        peer.applyAnswer(js(TAKE_OFFER, "pub", peer.createOffer(List.of(audio, bob, carol))));
        assertThat(js(EVENTS)).isEqualTo("track 4 video carol");
        assertThat(peer.sendTracks()).extracting(SendTrack::trackId)
                .containsExactly("alice-mic", "bob-cam", "carol-cam");

        // The client stops receiving Bob (stops that transceiver): its offer rejects the section, the server
        // refuses Bob from then on, and a later track gets a fresh mid next to the rejected section.
        String stopping = js("""
                const pc = pcs[args[0]];
                pc.getTransceivers().find(t => t.mid === '3').stop();
                await pc.setLocalDescription(await pc.createOffer());
                return pc.localDescription.sdp;""", "pub");
        PeerNegotiator.Answer fourth = peer.answerOffer(stopping);
        assertThat(js(TAKE_ANSWER, "pub", fourth.sdp())).isEqualTo("ok");
        assertThat(js(EVENTS)).isEqualTo("removetrack bob video");
        assertThat(peer.refusedTracks()).containsExactly(bob);
        assertThat(peer.needsOffer(List.of(audio, bob, carol))).isFalse();
        OutgoingTrack dave = remoteVideo("dave", "dave-cam", 5555, 5556);
        String withRejected = peer.createOffer(List.of(audio, bob, carol, dave));
        assertThat(SdpAssert.section(withRejected, "3").port()).isZero();
        peer.applyAnswer(js(TAKE_OFFER, "pub", withRejected));
        assertThat(js(EVENTS)).isEqualTo("track 5 video dave");
        assertThat(peer.sendTracks()).extracting(SendTrack::mid).containsExactly("2", "4", "5");

        // The client publishes a second camera: Chromium recycles the rejected m-line under a new mid.
        String recycling = js("""
                const s = await navigator.mediaDevices.getUserMedia({video: true});
                const pc = pcs[args[0]];
                pc.addTransceiver(s.getVideoTracks()[0], {direction: 'sendonly', streams: [s]});
                await pc.setLocalDescription(await pc.createOffer());
                return pc.localDescription.sdp;""", "pub");
        PeerNegotiator.Answer fifth = peer.answerOffer(recycling);
        assertThat(js(TAKE_ANSWER, "pub", fifth.sdp())).isEqualTo("ok");
        assertThat(fifth.published()).hasSize(3);
        assertThat(SdpAssert.parsed(fifth.sdp()).media()).hasSize(6);
        assertThat(SdpAssert.parsed(fifth.sdp()).media().get(3).mid()).isEqualTo("6");
        assertThat(fifth.published().get(2).mid()).isEqualTo("6");
        assertThat(peer.sendTracks()).extracting(SendTrack::mid).containsExactly("2", "4", "5");
    }

    @Test
    void anAnswerCanStopSendingATrackThatIsGone() throws Exception {
        js(SETUP, "gone");
        js("""
                const s = await navigator.mediaDevices.getUserMedia({audio: true});
                pcs[args[0]].addTransceiver(s.getAudioTracks()[0], {direction: 'sendonly', streams: [s]});
                return 'ok';""", "gone");
        PeerNegotiator peer = Fixtures.unified();
        js(TAKE_ANSWER, "gone", peer.answerOffer(js(OFFER, "gone")).sdp());
        OutgoingTrack audio = remoteAudio("hal", "hal-mic", 1313);
        OutgoingTrack video = remoteVideo("hal", "hal-cam", 1414, 1415);
        peer.applyAnswer(js(TAKE_OFFER, "gone", peer.createOffer(List.of(audio, video))));
        assertThat(js(EVENTS)).isEqualTo("track 1 audio hal|track 2 video hal");

        PeerNegotiator.Answer answer = peer.answerOffer(js(OFFER, "gone"), List.of(audio));

        assertThat(js(TAKE_ANSWER, "gone", answer.sdp())).isEqualTo("ok");
        assertThat(js(EVENTS)).isEqualTo("removetrack hal video");
        assertThat(js(DIRECTIONS, "gone")).isEqualTo("0:sendonly,1:recvonly,2:inactive");
        assertThat(peer.sendTracks()).extracting(SendTrack::trackId).containsExactly("hal-mic");
        assertThat(peer.needsOffer(List.of(audio))).isFalse();
    }

    @Test
    void iceRestartOfferIsAnswered() throws Exception {
        js(SETUP, "restart");
        js("""
                const s = await navigator.mediaDevices.getUserMedia({audio: true});
                pcs[args[0]].addTrack(s.getAudioTracks()[0], s);
                return 'ok';""", "restart");
        PeerNegotiator peer = Fixtures.unified();
        assertThat(js(TAKE_ANSWER, "restart", peer.answerOffer(js(OFFER, "restart")).sdp())).isEqualTo("ok");
        String before = peer.remoteTransport().iceUfrag();

        String restart = js("""
                const pc = pcs[args[0]];
                pc.restartIce();
                await pc.setLocalDescription(await pc.createOffer());
                return pc.localDescription.sdp;""", "restart");
        PeerNegotiator.Answer answer = peer.answerOffer(restart);

        assertThat(answer.remote().iceUfrag()).isNotEqualTo(before);
        assertThat(js(TAKE_ANSWER, "restart", answer.sdp())).isEqualTo("ok");
    }

    @Test
    void receiveOnlyClientJoinsWithoutSectionsAndGetsTracksLater() throws Exception {
        js(SETUP, "viewer", "balanced");
        String offer = js(OFFER, "viewer");
        PeerNegotiator peer = Fixtures.unified();
        PeerNegotiator.Answer answer = peer.answerOffer(offer);
        assertThat(SessionDescription.parse(answer.sdp()).media()).isEmpty();
        assertThat(js(TAKE_ANSWER, "viewer", answer.sdp())).isEqualTo("ok");

        List<OutgoingTrack> desired = List.of(remoteAudio("dave", "dave-mic", 5555),
                remoteVideo("dave", "dave-cam", 6666, 6667));
        peer.applyAnswer(js(TAKE_OFFER, "viewer", peer.createOffer(desired)));
        assertThat(js(EVENTS)).isEqualTo("track 0 audio dave|track 1 video dave");
        assertThat(peer.remoteTransport()).isNotNull();
        assertThat(peer.remoteTransport().setup()).isEqualTo("active");
        assertThat(peer.sendTracks()).hasSize(2);
    }

    @Test
    void recvonlyPlaceholdersAreAnsweredInactiveAndRemoteTracksComeInTheServersOwnSections() throws Exception {
        js(SETUP, "recv");
        String offer = js("""
                const pc = pcs[args[0]];
                pc.addTransceiver('audio', {direction: 'recvonly'});
                pc.addTransceiver('video', {direction: 'recvonly'});
                await pc.setLocalDescription(await pc.createOffer());
                return pc.localDescription.sdp;""", "recv");
        PeerNegotiator peer = Fixtures.unified();
        assertThat(js(TAKE_ANSWER, "recv", peer.answerOffer(offer).sdp())).isEqualTo("ok");
        assertThat(js(DIRECTIONS, "recv")).isEqualTo("0:inactive,1:inactive");

        List<OutgoingTrack> desired = List.of(remoteAudio("erin", "erin-mic", 7777),
                remoteVideo("erin", "erin-cam", 8888, 8889));
        peer.applyAnswer(js(TAKE_OFFER, "recv", peer.createOffer(desired)));
        // The client's placeholders stay its own (an SDK may later send in them): the server adds sections.
        assertThat(js(EVENTS)).isEqualTo("track 2 audio erin|track 3 video erin");
        assertThat(peer.mids()).containsExactly("0", "1", "2", "3");
    }

    @Test
    void simulcastAndDataChannelOfferIsAnsweredWithAndWithoutSimulcast() throws Exception {
        for (boolean simulcast : new boolean[] {false, true}) {
            String name = "sim" + simulcast;
            js(SETUP, name);
            String offer = js("""
                    const s = await navigator.mediaDevices.getUserMedia({video: true});
                    const pc = pcs[args[0]];
                    pc.addTransceiver(s.getVideoTracks()[0], {direction: 'sendonly', streams: [s],
                        sendEncodings: [{rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2},
                                        {rid: 'f'}]});
                    pc.createDataChannel('chat');
                    await pc.setLocalDescription(await pc.createOffer());
                    return pc.localDescription.sdp;""", name);
            PeerNegotiator peer = new PeerNegotiator(false, Fixtures.SERVER, Map.of(),
                    new PeerNegotiator.Options(true, simulcast));
            PeerNegotiator.Answer answer = peer.answerOffer(offer);
            assertThat(answer.published().get(0).layers()).extracting(SimulcastLayer::rid)
                    .isEqualTo(simulcast ? List.of("q", "h", "f") : List.of());
            assertThat(js(TAKE_ANSWER, name, answer.sdp())).isEqualTo("ok");
            assertThat(js(DIRECTIONS, name)).isEqualTo("0:sendonly");
            String encodings = js("""
                    return JSON.stringify(pcs[args[0]].getSenders()[0].getParameters().encodings.map(e => e.rid || ''));
                    """, name);
            assertThat(encodings).isEqualTo(simulcast ? "[\"q\",\"h\",\"f\"]" : "[\"q\"]");

            // A server offer keeps the rejected data channel section and the simulcast lines.
            String serverOffer = peer.createOffer(List.of(remoteAudio("gus", "gus-mic", 1212)));
            assertThat(SdpAssert.section(serverOffer, "1").port()).isZero();
            peer.applyAnswer(js(TAKE_OFFER, name, serverOffer));
            assertThat(js(EVENTS)).isEqualTo("track 2 audio gus");
            assertThat(js("""
                    return JSON.stringify(pcs[args[0]].getSenders()[0].getParameters().encodings.map(e => e.rid || ''));
                    """, name)).isEqualTo(encodings);
        }
    }

    @Test
    void h264OnlyPublisherIsOfferedToChromiumInItsOwnNumbering() throws Exception {
        js(SETUP, "h264", "balanced");
        PeerNegotiator peer = Fixtures.unified();
        peer.answerOffer(js(OFFER, "h264"));
        Codec h264 = new Codec(126, "H264", 90000, 1,
                "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", List.of("nack"), 127);
        OutgoingTrack track = new OutgoingTrack("frank", "frank-cam", MediaKind.VIDEO, 9999, 10000, "f",
                List.of(h264));
        String answer = js(TAKE_OFFER, "h264", peer.createOffer(List.of(track)));
        peer.applyAnswer(answer);
        assertThat(js(EVENTS)).isEqualTo("track 0 video frank");
        SendTrack send = peer.sendTracks().get(0);
        assertThat(send.codecs()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("H264");
            assertThat(c.parameter("profile-level-id")).isEqualTo("42e01f");
        });
        assertThat(send.payloadTypeMap(List.of(h264))).containsKeys(126, 127);
    }
}
