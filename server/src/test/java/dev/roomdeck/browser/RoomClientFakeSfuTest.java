package dev.roomdeck.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web client's RoomClient (assets/web/rtcengine.js) in real Chromium, against fake-sfu.js: a stand-in server
 * that speaks the same protocol and forwards media with real peer connections, all in one page. It specifies the
 * client's side of the protocol (join → addStream, answering server offers, glare, mute, leave, reconnect) without
 * the Java server; media really flows over loopback.
 */
class RoomClientFakeSfuTest {
    private static final Path HERE = Path.of("src/test/java/dev/roomdeck/browser");
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();
    private Browser browser;

    @BeforeEach
    void open() throws IOException {
        StaticSite site = meeting.closeAfter(StaticSite.serve(BrowserTests.webAssets(), Map.of(
                "/fake-sfu.js", Files.readString(HERE.resolve("fake-sfu.js")),
                "/fake-room.html", Files.readString(HERE.resolve("fake-room.html")))));
        browser = meeting.browser();
        browser.open(site.baseUrl() + "/fake-room.html");
        browser.waitFor("window.fakeReady", WAIT);
    }

    /** Before the meeting closes the page: no protocol violation, no page error. */
    @AfterEach
    void noViolations() {
        if (browser != null) {
            assertThat(browser.js("return t.sfu.violations")).as("protocol violations seen by the fake server").isEqualTo(List.of());
            assertThat(browser.pageErrors()).isEmpty();
        }
    }

    private void join(String name) {
        assertThat(browser.jsAsync("return await t.join(arguments[0])", name)).isEqualTo("joined");
    }

    private void joinReceiveOnly(String name) {
        assertThat(browser.jsAsync("return await t.join(arguments[0], {media: false})", name)).isEqualTo("joined");
    }

    private long decoded(String viewer, String publisher) {
        return ((Number) browser.jsAsync("return await t.decoded(arguments[0], arguments[1])", viewer, publisher)).longValue();
    }

    private void awaitFrames(String viewer, String publisher, long more) throws InterruptedException {
        long start = decoded(viewer, publisher);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (decoded(viewer, publisher) < start + more) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(viewer + " decoded no new frames of " + publisher + "; remote: "
                        + browser.js("return t.remote(arguments[0])", viewer) + "; events: " + browser.js("return t.eventTypes(arguments[0])", viewer));
            }
            Thread.sleep(100);
        }
    }

    @Test
    void twoPublishersReceiveAndDecodeEachOther() throws Exception {
        join("alice");
        join("bob");

        browser.waitFor("t.remote('alice').some(s => s.peerId === 'bob' && s.audio && s.video)", WAIT);
        browser.waitFor("t.remote('bob').some(s => s.peerId === 'alice' && s.audio && s.video)", WAIT);
        awaitFrames("alice", "bob", 10);
        awaitFrames("bob", "alice", 10);

        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) browser.jsAsync("return await t.clients.alice.stats()");
        @SuppressWarnings("unchecked")
        Map<String, Object> pair = (Map<String, Object>) stats.get("selectedPair");
        assertThat(pair.toString()).contains("127.0.0.1");
        assertThat(browser.js("return t.remote('alice')[0].name")).isEqualTo("bob");
        // Bob joined after Alice: she hears of him as an arrival, he learns of her from the room he joined.
        assertThat(browser.js("return t.events('alice').filter(e => e.type === 'peerjoined')"))
                .isEqualTo(List.of(Map.of("type", "peerjoined", "peerId", "bob", "initial", false, "disconnected", false)));
        assertThat(browser.js("return t.events('bob').filter(e => e.type === 'peerjoined')"))
                .isEqualTo(List.of(Map.of("type", "peerjoined", "peerId", "alice", "initial", true, "disconnected", false)));
        assertThat(browser.js("return t.eventTypes('alice').includes('published')")).isEqualTo(true);
    }

    @Test
    void ownerMuteIsRelayedAndOperatorMuteCannotBeUndoneByTheOwner() {
        join("alice");
        join("bob");
        browser.waitFor("t.remote('bob').some(s => s.peerId === 'alice')", WAIT);

        browser.js("t.clients.alice.setLocalMuted({video: true})");
        browser.waitFor("t.remote('bob')[0].muted.video === true && t.remote('bob')[0].muted.audio === false", WAIT);
        assertThat(browser.js("return t.clients.alice.localStream.getVideoTracks()[0].enabled")).isEqualTo(false);

        browser.js("t.sfu.operatorMute('alice', {audio: false, video: true})");
        browser.waitFor("t.clients.alice.localMute.operator.audio === true", WAIT);
        browser.waitFor("t.remote('bob')[0].operatorMuted.audio === true", WAIT);
        assertThat(browser.js("return t.clients.alice.localStream.getAudioTracks()[0].enabled")).isEqualTo(false);

        browser.js("t.clients.alice.setLocalMuted({audio: false, video: false})");
        assertThat(browser.js("return t.clients.alice.localStream.getAudioTracks()[0].enabled"))
                .as("the operator's mute holds").isEqualTo(false);
        assertThat(browser.js("return t.clients.alice.localStream.getVideoTracks()[0].enabled")).isEqualTo(true);

        browser.js("t.sfu.operatorMute('alice', {audio: true, video: true})");
        browser.waitFor("t.clients.alice.localStream.getAudioTracks()[0].enabled === true", WAIT);
    }

    @Test
    void receiveChoiceGoesToTheServerOnlyAndSilencesTheTrackLocally() {
        join("alice");
        join("bob");
        browser.waitFor("t.remote('alice').some(s => s.audio && s.video)", WAIT);

        browser.js("const s = t.remote('alice')[0]; t.clients.alice.setReceiving(s.msid, {audio: false})");
        browser.waitFor("(t.sfu.peers.get('alice').remoteChoices || []).length === 1", WAIT);
        assertThat(browser.js("return t.sfu.peers.get('alice').remoteChoices[0]"))
                .isEqualTo(browser.js("const s = t.remote('alice')[0];"
                        + "return {id: 'bob', msid: s.msid, local: false, remote: true, video: true, audio: false}"));
        assertThat(browser.js("return t.clients.alice.streams.values().next().value.audioTrack.enabled")).isEqualTo(false);
        assertThat(browser.js("return t.remote('bob')[0].muted")).isEqualTo(Map.of("audio", false, "video", false));
    }

    @Test
    void aPeerLeavingTakesItsStreamAway() {
        join("alice");
        join("carol");
        browser.waitFor("t.remote('alice').some(s => s.peerId === 'carol' && s.video)", WAIT);

        browser.js("t.clients.carol.leave()");
        browser.waitFor("t.remote('alice').length === 0 && !t.clients.alice.peers.has('carol')", WAIT);
        assertThat(browser.js("return t.clients.carol.state")).isEqualTo("left");
        assertThat(browser.js("return t.events('alice').filter(e => e.type === 'peerleft')"))
                .isEqualTo(List.of(Map.of("type", "peerleft", "peerId", "carol", "initial", false, "disconnected", false)));
        // The server's follow-up offer removes the m-sections; the client answers it.
        browser.waitFor("t.clients.alice.peerConnection.signalingState === 'stable'"
                + " && t.sfu.stateOf('alice').signaling === 'stable'", WAIT);
    }

    @Test
    void offersCrossingEachOtherConvergeWithTheServerAsThePoliteSide() throws Exception {
        join("alice");
        join("bob");
        browser.waitFor("t.remote('alice').some(s => s.video)", WAIT);

        // Both sides offer at once, many times, with a few ms of random latency each way.
        browser.jsAsync("""
                for (let i = 0; i < 20; i++) {
                  t.sfu.offerNow('alice');
                  await new Promise(r => setTimeout(r, i % 4));
                  await t.clients.alice.renegotiate();
                }""");
        browser.waitFor("t.clients.alice.peerConnection.signalingState === 'stable'"
                + " && t.sfu.stateOf('alice').signaling === 'stable'", WAIT);
        assertThat(((Number) browser.js("return t.sfu.log.filter(e => e[0] === 'glare').length")).intValue())
                .as("glare really happened").isPositive();
        awaitFrames("alice", "bob", 10);
    }

    @Test
    void aDroppedConnectionRejoinsWithANewPeerConnection() throws Exception {
        join("alice");
        join("bob");
        browser.waitFor("t.remote('bob').some(s => s.video)", WAIT);
        Object firstPc = browser.js("return t.clients.alice.peerConnection");

        browser.js("t.sfu.drop('alice')");
        browser.waitFor("t.clients.alice.state === 'reconnecting'", WAIT);
        browser.waitFor("t.clients.alice.state === 'joined' && t.clients.alice.published", WAIT);
        assertThat(browser.js("return t.clients.alice.peerConnection === arguments[0]", firstPc)).isEqualTo(false);
        browser.waitFor("t.remote('bob').some(s => s.peerId === 'alice' && s.video)", WAIT);
        awaitFrames("bob", "alice", 10);
        awaitFrames("alice", "bob", 10);
        assertThat(browser.js("return t.eventTypes('alice').filter(e => e === 'reconnecting').length")).isEqualTo(1L);
    }

    @Test
    void aKickEndsTheSessionWithTheOperatorsReasonAndNoReconnect() throws Exception {
        join("alice");
        join("bob");
        browser.js("t.sfu.kick('bob', 'meeting is over')");
        browser.waitFor("t.clients.bob.state === 'left'", WAIT);
        assertThat(browser.js("return t.events('bob').find(e => e.type === 'left')"))
                .isEqualTo(Map.of("type", "left", "reason", "kicked", "message", "meeting is over"));
        Thread.sleep(1500);
        assertThat(browser.js("return t.clients.bob.state")).isEqualTo("left");
        assertThat(browser.js("return t.eventTypes('bob').includes('reconnecting')")).isEqualTo(false);
        browser.waitFor("!t.clients.alice.peers.has('bob')", WAIT);
    }

    @Test
    void aViewerWithoutCameraOrMicrophoneReceivesEveryone() throws Exception {
        join("alice");
        joinReceiveOnly("dave");
        browser.waitFor("t.remote('dave').some(s => s.peerId === 'alice' && s.audio && s.video)", WAIT);
        awaitFrames("dave", "alice", 10);
        assertThat(browser.js("return t.remote('alice').length")).as("a viewer publishes nothing").isEqualTo(0L);
        assertThat(browser.js("return t.clients.alice.peers.has('dave')")).isEqualTo(true);
    }

    @Test
    void aRefusedJoinRejectsWithTheServersMessage() {
        assertThatThrownBy(() -> browser.jsAsync("return await t.join('refuse-me')"))
                .hasMessageContaining("You are not welcome here.");
        assertThat(browser.js("return t.clients['refuse-me'].state")).isEqualTo("failed");
    }

    @Test
    void joiningAgainWithTheSameNameReplacesTheFirstSession() throws Exception {
        join("erin");
        browser.jsAsync("""
                const { RoomClient } = await import('/rtcengine.js');
                const c = new RoomClient({ WebSocket: t.sfu.socketClass(), tokenProvider: t.sfu.tokenProvider() });
                t.clients.erin2 = c;
                await c.join({ room: 'room', user: 'erin', localStream: null });""");
        browser.waitFor("t.clients.erin.state === 'left'", WAIT);
        assertThat(browser.js("return t.events('erin').find(e => e.type === 'left').reason")).isEqualTo("replaced");
        Thread.sleep(1500);
        assertThat(browser.js("return t.clients.erin.state")).isEqualTo("left");
        assertThat(browser.js("return t.clients.erin2.state")).isEqualTo("joined");
    }

    @Test
    void chatMessagesReachEveryoneElseWithTheSender() {
        join("alice");
        joinReceiveOnly("bob");
        browser.js("t.clients.alice.sendMessage({kind: 'chat', text: 'hello'})");
        browser.waitFor("t.events('bob').some(e => e.type === 'message')", WAIT);
        assertThat(browser.js("return t.events('bob').find(e => e.type === 'message')"))
                .isEqualTo(Map.of("type", "message", "from", "alice", "data", Map.of("kind", "chat", "text", "hello")));
        assertThat(browser.js("return t.eventTypes('alice').includes('message')")).isEqualTo(false);
    }

    @Test
    void aServerOfferThatCannotBeAppliedIsReportedAndAFreshOneRepairsIt() throws Exception {
        join("alice");
        browser.js("t.clients.alice.peerConnection.__first = true; t.failOffers('alice', 1)");
        join("bob");

        // The offer that brings bob fails in alice's browser: she says so, the server offers afresh, she sees bob.
        browser.waitFor("t.sfu.peers.get('alice').renegotiations.length === 1", WAIT);
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) browser.js("return t.sfu.peers.get('alice').renegotiations[0]");
        assertThat(report.get("reason")).isEqualTo("offer-failed");
        assertThat((String) report.get("message")).contains("Failed to set remote offer sdp").contains("injected");
        awaitFrames("alice", "bob", 10);
        browser.waitFor("t.clients.alice.peerConnection.signalingState === 'stable'"
                + " && t.sfu.stateOf('alice').signaling === 'stable'", WAIT);
        assertThat(browser.js("return !!t.clients.alice.peerConnection.__first")).as("no restart needed").isEqualTo(true);
        assertThat(browser.js("return t.clients.alice.negotiationFailures")).isEqualTo(1L);
        assertThat(browser.js("return t.events('alice').filter(e => e.type === 'negotiationfailed').map(e => e.action)"))
                .isEqualTo(List.of("renegotiate"));
        assertThat(browser.js("return t.eventTypes('alice').filter(e => e === 'error' || e === 'reconnecting')")).isEqualTo(List.of());
    }

    @Test
    void whenTheFreshOfferFailsTooTheSessionStartsAfreshInItsOwnSeat() throws Exception {
        join("alice");
        join("bob");
        browser.waitFor("t.remote('bob').some(s => s.peerId === 'alice' && s.video)", WAIT);
        browser.js("t.clients.alice.peerConnection.__first = true; t.failOffers('alice', 2)");
        join("carol");

        browser.waitFor("t.eventTypes('alice').includes('reconnecting')", WAIT);
        assertThat(browser.js("return t.events('alice').find(e => e.type === 'reconnecting').reason")).isEqualTo("negotiation-failed");
        assertThat(browser.js("return t.events('alice').filter(e => e.type === 'negotiationfailed').map(e => e.action)"))
                .isEqualTo(List.of("renegotiate", "restart"));
        browser.waitFor("t.clients.alice.state === 'joined' && t.clients.alice.published", WAIT);
        assertThat(browser.js("return !!t.clients.alice.peerConnection.__first")).as("a new peer connection").isEqualTo(false);
        awaitFrames("alice", "carol", 10);
        awaitFrames("alice", "bob", 10);
        awaitFrames("carol", "alice", 10);
        assertThat(browser.js("return t.eventTypes('alice').includes('error')")).isEqualTo(false);
    }

    @Test
    void aServerThatRefusesOrIgnoresRenegotiateGetsAFreshSessionInstead() throws Exception {
        join("alice", "{renegotiateTimeoutMs: 1500}");
        join("dave", "{renegotiateTimeoutMs: 1500}");
        browser.waitFor("t.remote('alice').some(s => s.video) && t.remote('dave').some(s => s.video)", WAIT);

        browser.js("t.sfu.renegotiate = 'refuse'; t.failOffers('alice', 1)");
        join("bob");
        browser.waitFor("t.eventTypes('alice').includes('reconnecting')", WAIT);
        browser.waitFor("t.clients.alice.state === 'joined'", WAIT);
        awaitFrames("alice", "bob", 10);

        browser.js("t.sfu.renegotiate = 'ignore'; t.failOffers('dave', 1)");
        join("carol");
        browser.waitFor("t.eventTypes('dave').includes('reconnecting')", WAIT);
        browser.waitFor("t.clients.dave.state === 'joined'", WAIT);
        awaitFrames("dave", "carol", 10);
        // A refused repair is handled, not shown to people as an error.
        assertThat(browser.js("return t.eventTypes('alice').includes('error') || t.eventTypes('dave').includes('error')")).isEqualTo(false);
    }

    @Test
    void theNameTravelsInThePeerAttributesAndTwoPeopleMayShareIt() {
        joinAs("anna-1", "u-0000000000000001", "Anna");
        joinAs("anna-2", "u-0000000000000002", "Anna");
        joinAs("ben", "u-0000000000000003", "Ben");
        browser.waitFor("t.clients.ben.peers.size === 2 && t.remote('ben').length === 2", WAIT);

        assertThat(browser.js("return t.sfu.roomMeta().peers.map(p => p.attributes)"))
                .isEqualTo(List.of(Map.of("name", "Anna"), Map.of("name", "Anna"), Map.of("name", "Ben")));
        assertThat(browser.js("return [...t.clients.ben.peers.keys()].map(id => t.clients.ben.displayName(id))"))
                .isEqualTo(List.of("Anna", "Anna"));
        assertThat(browser.js("return t.clients.ben.peers.get('u-0000000000000001').attributes")).isEqualTo(Map.of("name", "Anna"));
        assertThat(browser.js("return t.clients.ben.displayName('u-0000000000000003')")).isEqualTo("Ben");
        // The stream carries the name too, for servers and SDKs that only know stream attributes.
        assertThat(browser.js("return t.remote('ben').map(s => s.name)")).isEqualTo(List.of("Anna", "Anna"));
        assertThat(browser.js("return ['anna-1', 'anna-2', 'ben'].map(n => t.clients[n].state)"))
                .isEqualTo(List.of("joined", "joined", "joined"));
    }

    @Test
    void whenNothingArrivesAnyMoreTheSessionStartsAfresh() throws Exception {
        join("alice", "{mediaSilenceMs: 4000}");
        join("bob");
        awaitFrames("alice", "bob", 10);

        browser.js("t.sfu.silence('alice')");
        browser.waitFor("t.eventTypes('alice').includes('reconnecting')", WAIT);
        assertThat(browser.js("return t.events('alice').find(e => e.type === 'reconnecting').reason")).isEqualTo("media-stalled");
        browser.waitFor("t.clients.alice.state === 'joined' && t.clients.alice.published", WAIT);
        awaitFrames("alice", "bob", 10);
        awaitFrames("bob", "alice", 10);
    }

    @Test
    void oneSilentSenderDoesNotRestartTheSession() throws Exception {
        join("alice", "{mediaSilenceMs: 3000}");
        join("bob");
        awaitFrames("alice", "bob", 10);

        // Nothing forwarded to alice any more, but the server still hears her and reports on it (RTCP).
        browser.jsAsync("await t.sfu.stopForwardingTo('alice')");
        Thread.sleep(9000);
        assertThat(browser.js("return t.eventTypes('alice').includes('reconnecting')")).isEqualTo(false);
        assertThat(browser.js("return t.clients.alice.state")).isEqualTo("joined");
    }

    private void join(String name, String options) {
        assertThat(browser.jsAsync("return await t.join(arguments[0], " + options + ")", name)).isEqualTo("joined");
    }

    private void joinAs(String name, String user, String displayName) {
        assertThat(browser.jsAsync("return await t.join(arguments[0], {user: arguments[1], attributes: {name: arguments[2]}})",
                name, user, displayName)).isEqualTo("joined");
    }
}
