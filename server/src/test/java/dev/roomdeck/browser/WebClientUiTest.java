package dev.roomdeck.browser;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The web page's user interface with live media, in Chromium: the page's signalling goes to the in-page fake SFU
 * (fake-sfu-shim.js), and a scripted second participant ("bob") publishes the fake camera in the same page.
 */
class WebClientUiTest {
    private static final Path HERE = Path.of("src/test/java/dev/roomdeck/browser");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String BOB_TILE = "document.querySelector('.tile[data-peer-id=\"bob\"]')";
    private static final String MY_TILE = "document.querySelector('.tile.local')";

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();
    private StaticSite site;
    private Browser browser;

    /** The bundled page on a static site of its own, with the fake SFU in place of the server. */
    @BeforeEach
    void start() throws IOException {
        site = meeting.closeAfter(StaticSite.serve(BrowserTests.webAssets(),
                Map.of("/fake-sfu.js", Files.readString(HERE.resolve("fake-sfu.js")))));
        browser = meeting.browser().addInitScript(Files.readString(HERE.resolve("fake-sfu-shim.js")));
    }

    /** Before the meeting closes the page: the fake SFU saw no protocol violation. */
    @AfterEach
    void noViolations() {
        if (browser != null) {
            assertThat(browser.js("return window.__sfu ? window.__sfu.violations : []")).isEqualTo(List.of());
        }
    }

    /** The page joins as user "alice" (a link's ?user=, so that the fake SFU's operator actions can name her). */
    private void joinAsAliceWithBob(String extraQuery) {
        browser.open(site.baseUrl() + "/?room=room&name=alice&user=alice&autojoin=1" + extraQuery);
        browser.waitFor("window.roomdeck.state === 'joined' && window.roomdeck.client.published", WAIT);
        assertThat(browser.jsAsync("return await window.__addPeer('bob')")).isEqualTo("joined");
        browser.waitFor(BOB_TILE + " && " + BOB_TILE + ".dataset.state === 'live' && " + BOB_TILE + ".dataset.video === 'on'", WAIT);
    }

    @Test
    void aRemoteTileShowsLiveVideoAndTheStatsHookReportsDecodedFrames() throws Exception {
        joinAsAliceWithBob("");

        // The encoder starts small and ramps up to the fake camera's 640x480: any size means frames are rendered.
        assertThat((Long) browser.js("return " + BOB_TILE + ".querySelector('video').videoWidth")).isPositive();
        assertThat(browser.js("return " + BOB_TILE + ".dataset.msid")).isEqualTo(browser.js("return window.__peers.bob.localStream.id"));
        assertThat(browser.js("return " + BOB_TILE + ".querySelector('.name').textContent")).isEqualTo("bob");
        Thread.sleep(1500);
        Map<String, Object> stats = browser.roomdeckStats();
        @SuppressWarnings("unchecked")
        Map<String, Object> bob = (Map<String, Object>) ((Map<String, Object>) stats.get("peers")).get("bob");
        assertThat(((Number) bob.get("framesDecoded")).longValue()).isPositive();
        assertThat(((Number) bob.get("frameWidth")).longValue()).isBetween(160L, 640L);
        assertThat(((Number) bob.get("audioBytesReceived")).longValue()).isPositive();
        @SuppressWarnings("unchecked")
        Map<String, Object> outbound = (Map<String, Object>) stats.get("outbound");
        assertThat(((Number) outbound.get("videoBitrate")).longValue()).isPositive();
        assertThat(stats.get("selectedPair").toString()).contains("127.0.0.1");
        assertThat(browser.js("return document.getElementById('conn-button').dataset.level")).isEqualTo("ok");
        assertThat(browser.js("return document.getElementById('conn-label').textContent")).isEqualTo("Connected");
        assertThat(browser.pageErrors()).isEmpty();
    }

    @Test
    void anOperatorMuteIsShownOnTheOwnersTileAndItsButtonIsLocked() {
        joinAsAliceWithBob("");

        browser.js("window.__sfu.operatorMute('alice', {audio: false})");
        browser.waitFor(MY_TILE + ".querySelector('.badge.operator')", WAIT);
        assertThat(browser.js("return " + MY_TILE + ".querySelector('.badge.operator').textContent")).isEqualTo("Muted by operator");
        assertThat(browser.js("return document.getElementById('mic-button').classList.contains('locked')")).isEqualTo(true);
        browser.waitFor("[...window.__peers.bob.streams.values()][0].operatorMuted.audio === true", WAIT);

        browser.js("document.getElementById('mic-button').click()");
        assertThat(browser.js("return window.roomdeck.client.localStream.getAudioTracks()[0].enabled")).isEqualTo(false);
        assertThat((String) browser.js("return document.getElementById('toasts').textContent")).contains("only the operator can unmute");

        browser.js("window.__sfu.operatorMute('bob', {video: false})");
        browser.waitFor(BOB_TILE + ".querySelector('.badge.operator') && " + BOB_TILE + ".dataset.video === 'off'", WAIT);
        assertThat(browser.pageErrors()).isEmpty();
    }

    @Test
    void stoppingToReceiveAPeersVideoAsksTheServerAndShowsWhy() {
        joinAsAliceWithBob("");

        browser.js(BOB_TILE + ".querySelector('[data-action=video]').click()");
        browser.waitFor(BOB_TILE + ".dataset.video === 'off'", WAIT);
        browser.waitFor("(window.__sfu.peers.get('alice').remoteChoices || []).length === 1", WAIT);
        assertThat(browser.js("return window.__sfu.peers.get('alice').remoteChoices[0]"))
                .isEqualTo(Map.of("id", "bob", "msid", browser.js("return window.__peers.bob.localStream.id"),
                        "local", false, "remote", true, "video", false, "audio", true));
        assertThat(browser.js("return " + BOB_TILE + ".querySelector('.badge.note').textContent")).isEqualTo("Paused for you");

        browser.js(BOB_TILE + ".querySelector('[data-action=video]').click()");
        browser.waitFor(BOB_TILE + ".dataset.video === 'on'", WAIT);
    }

    @Test
    void aDroppedConnectionShowsTheReconnectBannerAndRecovers() {
        joinAsAliceWithBob("");

        browser.js("window.__sfu.drop('alice')");
        browser.waitFor("!document.getElementById('banner').hidden", WAIT);
        assertThat((String) browser.js("return document.getElementById('banner-text').textContent")).contains("Reconnecting");
        browser.waitFor("window.roomdeck.state === 'joined' && document.getElementById('banner').hidden", WAIT);
        browser.waitFor(BOB_TILE + " && " + BOB_TILE + ".dataset.state === 'live'", WAIT);
        assertThat(browser.js("return document.querySelectorAll('.tile').length")).isEqualTo(2L);
        assertThat(browser.pageErrors()).isEmpty();
    }

    @Test
    void aKickReturnsToTheJoinPageWithTheOperatorsMessage() {
        joinAsAliceWithBob("");

        browser.js("window.__sfu.kick('alice', 'Room is booked now')");
        browser.waitFor("!document.getElementById('join-view').hidden", WAIT);
        assertThat(browser.js("return document.getElementById('join-notice-text').textContent"))
                .isEqualTo("The operator removed you from the room: Room is booked now");
        assertThat(browser.js("return document.querySelectorAll('.tile').length")).isEqualTo(0L);
        assertThat(browser.js("return window.roomdeck.client.localStream.getTracks().every(t => t.readyState === 'ended')"))
                .as("camera released").isEqualTo(true);
    }

    @Test
    void aKickWithTheServersOwnSentenceReadsItOnce() {
        joinAsAliceWithBob("");
        browser.js("window.__sfu.kick('alice', 'The operator removed you from the room.')");
        browser.waitFor("!document.getElementById('join-view').hidden", WAIT);
        assertThat(browser.js("return document.getElementById('join-notice-text').textContent"))
                .isEqualTo("The operator removed you from the room.");
    }

    @Test
    void whenTheCameraIsRefusedThePageJoinsToWatchAndSaysSo() {
        // The page is refused; the scripted second participant keeps the real device (window.__realGetUserMedia).
        browser.addInitScript("window.__realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);"
                + "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no', 'NotAllowedError'));");
        browser.open(site.baseUrl() + "/?room=room&name=alice&user=alice&autojoin=1");
        browser.waitFor("window.roomdeck.state === 'joined'", WAIT);
        browser.waitFor("document.getElementById('toasts').textContent.includes('denied')", WAIT);
        assertThat((String) browser.js("return document.getElementById('toasts').textContent")).contains("watch and listen only");
        assertThat(browser.js("return document.getElementById('mic-button').disabled")).isEqualTo(true);
        assertThat(browser.js("return " + MY_TILE + ".querySelector('.badge.note').textContent")).isEqualTo("Viewer");

        assertThat(browser.jsAsync("return await window.__addPeer('bob')")).isEqualTo("joined");
        browser.waitFor(BOB_TILE + " && " + BOB_TILE + ".dataset.state === 'live'", WAIT);
    }

    private String attr(String tile, String name) {
        return String.valueOf(browser.js("const t = " + tile + "; return t ? t.getAttribute(arguments[0]) : null", name));
    }

    @Test
    void tilesFollowWhatIsDecodedAndWhatTheSenderSaysNotTheTracksMutedFlag() throws InterruptedException {
        joinAsAliceWithBob("");
        assertThat(attr(BOB_TILE, "data-name")).isEqualTo("bob");
        assertThat(attr(BOB_TILE, "data-msid")).isEqualTo(browser.js("return window.__peers.bob.localStream.id"));
        assertThat(attr(BOB_TILE, "data-audio")).isEqualTo("on");
        assertThat(attr(MY_TILE, "data-peer-id")).isEqualTo("alice");
        assertThat(attr(MY_TILE, "data-name")).isEqualTo("alice");
        assertThat(attr(MY_TILE, "data-state")).isEqualTo("live");
        assertThat(attr(MY_TILE, "data-msid")).isEqualTo(browser.js("return window.roomdeck.client.localStream.id"));

        // Chromium sometimes leaves a remote track muted while its frames decode: the tile believes the frames.
        browser.js("const s = [...window.roomdeck.client.streams.values()][0];"
                + "Object.defineProperty(s.videoTrack, 'muted', {get: () => true});"
                + "s.videoTrack.dispatchEvent(new Event('mute'))");
        for (int i = 0; i < 10; i++) {
            assertThat(attr(BOB_TILE, "data-state")).isEqualTo("live");
            Thread.sleep(300);
        }

        // The owner turns the camera off and on, and mutes the microphone.
        browser.js("window.__peers.bob.setLocalMuted({video: true, audio: true})");
        browser.waitFor(BOB_TILE + ".dataset.state === 'camera-off' && " + BOB_TILE + ".dataset.audio === 'muted'"
                + " && " + BOB_TILE + ".dataset.video === 'off'", WAIT);
        assertThat(browser.js("return " + BOB_TILE + ".querySelector('.status').hidden")).as("no spinner over the avatar").isEqualTo(true);
        browser.js("window.__peers.bob.setLocalMuted({video: false, audio: false})");
        browser.waitFor(BOB_TILE + ".dataset.state === 'live' && " + BOB_TILE + ".dataset.audio === 'on'", WAIT);

        // Our own tile tells our own state.
        browser.js("document.getElementById('cam-button').click(); document.getElementById('mic-button').click()");
        browser.waitFor(MY_TILE + ".dataset.state === 'camera-off' && " + MY_TILE + ".dataset.audio === 'muted'", WAIT);
        browser.js("document.getElementById('cam-button').click(); document.getElementById('mic-button').click()");
        browser.waitFor(MY_TILE + ".dataset.state === 'live' && " + MY_TILE + ".dataset.audio === 'on'", WAIT);
        assertThat(browser.pageErrors()).isEmpty();
    }

    @Test
    void aVideoThatStopsIsSaidOnTheTileAndAFreshOfferIsAskedForOnce() {
        joinAsAliceWithBob("");
        // Bob's camera stops delivering (not a mute: nothing tells alice why).
        browser.js("window.__peers.bob.localStream.getVideoTracks()[0].stop()");
        browser.waitFor(BOB_TILE + ".dataset.state === 'waiting'", WAIT);
        assertThat((String) browser.js("return " + BOB_TILE + ".querySelector('.status').textContent")).contains("Video from bob stopped");
        browser.waitFor("window.__sfu.peers.get('alice').renegotiations.length === 1", Duration.ofSeconds(20));
        assertThat(browser.js("return window.__sfu.peers.get('alice').renegotiations[0].reason")).isEqualTo("no-media");
        browser.waitFor("window.roomdeck.client.peerConnection.signalingState === 'stable'", WAIT);
        assertThat(attr(BOB_TILE, "data-state")).isEqualTo("waiting");
        assertThat(browser.js("return window.__sfu.peers.get('alice').renegotiations.length")).as("once").isEqualTo(1L);
        assertThat(browser.js("return window.roomdeck.errors")).isEqualTo(List.of());
        assertThat(browser.pageErrors()).isEmpty();
    }

    @Test
    void someoneWithoutCameraOrMicrophoneHasATileWithTheirName() {
        joinAsAliceWithBob("");
        assertThat(browser.jsAsync("return await window.__addPeer('dave', {media: false})")).isEqualTo("joined");
        String dave = "document.querySelector('.tile[data-peer-id=\"dave\"]')";
        browser.waitFor(dave, WAIT);
        assertThat(attr(dave, "data-msid")).isEqualTo("");
        assertThat(attr(dave, "data-name")).isEqualTo("dave");
        browser.waitFor(dave + ".dataset.state === 'camera-off'", Duration.ofSeconds(15));
        assertThat(attr(dave, "data-audio")).isEqualTo("muted");
        assertThat(browser.js("return document.querySelectorAll('.tile').length")).isEqualTo(3L);
        assertThat(browser.js("return document.getElementById('people-count').textContent")).isEqualTo("3");
    }

    /** [wanted width, wanted height] of bob's tile now (its video's box in device pixels), then the last videoSize the fake SFU got. */
    private static final String BOB_SIZES = "const v = " + BOB_TILE + ".querySelector('video'); const r = v.getBoundingClientRect();"
            + " const got = (window.__sfu.peers.get('alice').videoSizes || []).filter(x => x.msid === " + BOB_TILE + ".dataset.msid);"
            + " const last = got[got.length - 1] || {width: -1, height: -1};"
            + " return [Math.round(r.width * devicePixelRatio), Math.round(r.height * devicePixelRatio), last.width, last.height, got.length]";

    /** Waits until the last videoSize for bob's stream is the tile's size (±1 px), which must be above zero; returns its width. */
    private long waitForBobsSizeToFitTheTile() {
        browser.waitFor("(() => { const s = (() => { " + BOB_SIZES + " })();"
                + " return s[0] > 0 && Math.abs(s[0] - s[2]) <= 1 && Math.abs(s[1] - s[3]) <= 1; })()", WAIT);
        @SuppressWarnings("unchecked")
        List<Long> s = (List<Long>) browser.js(BOB_SIZES);
        return s.get(2);
    }

    private void waitForBobsSizeZero() {
        browser.waitFor("(() => { const s = (() => { " + BOB_SIZES + " })(); return s[2] === 0 && s[3] === 0; })()", WAIT);
    }

    @Test
    void theCameraOffersThreeSimulcastLayersAndSendsTheFullPictureWhenTheServerDeclinesThem() {
        joinAsAliceWithBob("");
        // The page's own offer listed the layers low → high; the fake SFU (a browser answering) declines simulcast
        // (Chromium's later offers mark the layers it dropped then as paused: ~h;~f).
        assertThat((String) browser.js("return window.roomdeck.client.peerConnection.currentLocalDescription.sdp"))
                .containsPattern("a=simulcast:send q;~?h;~?f");
        assertThat(browser.js("return window.roomdeck.client.peerConnection.currentRemoteDescription.sdp.includes('a=simulcast')"))
                .isEqualTo(false);
        // The browser kept one encoding, the first (the quarter-size one): the client made it the full picture at the cap.
        browser.waitFor("(() => { const s = window.roomdeck.client.peerConnection.getSenders().find(x => x.track && x.track.kind === 'video');"
                + " const e = s.getParameters().encodings; return e.length === 1 && (e[0].scaleResolutionDownBy || 1) === 1"
                + " && e[0].maxBitrate === 1500000; })()", WAIT);
        // A camera too small for three layers: the rule in rtcengine.js (no layer under 120 px on its short side).
        assertThat(browser.jsAsync("const { cameraEncodings } = await import('/rtcengine.js');"
                + " const t = s => ({ getSettings: () => s });"
                + " return [cameraEncodings(t({width: 1280, height: 720}), 1500).map(e => e.rid + ':' + e.maxBitrate).join(),"
                + " cameraEncodings(t({width: 640, height: 480}), 1500).map(e => e.rid + ':' + e.scaleResolutionDownBy).join(),"
                + " cameraEncodings(t({width: 320, height: 240}), 1500), cameraEncodings(t({width: 1280, height: 720}), 600),"
                + " cameraEncodings(t({}), 1500)]"))
                .isEqualTo(java.util.Arrays.asList("q:150000,h:500000,f:850000", "h:2,f:1", null, null, null));
        browser.waitFor("window.roomdeck.client.peerConnection.connectionState === 'connected'", WAIT);
        assertThat(browser.pageErrors()).isEmpty();
    }

    @Test
    void eachRemoteTileAsksForItsSizeAndForNoVideoWhileNobodyCanSeeIt() {
        joinAsAliceWithBob("");
        String msid = (String) browser.js("return " + BOB_TILE + ".dataset.msid");
        long grid = waitForBobsSizeToFitTheTile();
        assertThat(browser.js("return window.__sfu.peers.get('alice').videoSizes.at(-1).id")).isEqualTo("bob");
        assertThat(browser.js("return window.roomdeck.videoSizes[arguments[0]].width", msid)).isEqualTo(grid);

        // Pinned large through the tile's own button: a larger size; pressed again: back to the grid's size.
        String pin = BOB_TILE + ".querySelector('[data-action=pin]')";
        assertThat(browser.js("return " + pin + ".getAttribute('aria-label')")).isEqualTo("Show bob large");
        browser.js(pin + ".click()");
        browser.waitFor(BOB_TILE + ".dataset.stage === 'large'", WAIT);
        assertThat(browser.js("return " + pin + ".getAttribute('aria-pressed')")).isEqualTo("true");
        assertThat(browser.js("return window.roomdeck.pinned")).isEqualTo(msid);
        long large = waitForBobsSizeToFitTheTile();
        assertThat(large).isGreaterThan(grid);
        browser.js(pin + ".click()");
        browser.waitFor(BOB_TILE + ".dataset.stage === ''", WAIT);
        assertThat(waitForBobsSizeToFitTheTile()).isEqualTo(grid);

        // The side panel takes room from the grid: the tile shrinks, and so does the wish.
        browser.js("document.getElementById('chat-button').click()");
        long smaller = waitForBobsSizeToFitTheTile();
        assertThat(smaller).isLessThan(grid);

        // Laid out of the viewport, hidden, or the page hidden: 0x0; back in view: its size again.
        browser.js(BOB_TILE + ".style.transform = 'translateY(4000px)'");
        waitForBobsSizeZero();
        browser.js(BOB_TILE + ".style.transform = ''");
        assertThat(waitForBobsSizeToFitTheTile()).isEqualTo(smaller);
        browser.js(BOB_TILE + ".style.display = 'none'");
        waitForBobsSizeZero();
        browser.js(BOB_TILE + ".style.display = ''");
        waitForBobsSizeToFitTheTile();
        browser.js("Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});"
                + "document.dispatchEvent(new Event('visibilitychange'))");
        waitForBobsSizeZero();
        browser.js("delete document.visibilityState; document.dispatchEvent(new Event('visibilitychange'))");
        waitForBobsSizeToFitTheTile();

        // Sent only on change: never the same wish twice in a row, and well-formed (the fake SFU checks each one).
        assertThat(browser.js("const s = window.__sfu.peers.get('alice').videoSizes;"
                + " return s.filter((x, i) => i > 0 && x.width === s[i - 1].width && x.height === s[i - 1].height).length"))
                .isEqualTo(0L);
        // The stats hook: per remote peer, the figures of its video and the last wish.
        @SuppressWarnings("unchecked")
        Map<String, Object> bob = (Map<String, Object>) ((Map<String, Object>) browser.roomdeckStats().get("peers")).get("bob");
        assertThat(bob).containsKeys("frameWidth", "frameHeight", "freezeCount", "totalFreezesDuration", "bytesReceived");
        assertThat(((Number) bob.get("bytesReceived")).longValue()).isPositive();
        assertThat(bob.get("videoSize")).isEqualTo(Map.of("width", smaller, "height", browser.js("return window.roomdeck.videoSizes[arguments[0]].height", msid)));
        assertThat(browser.js("return window.roomdeck.errors")).isEqualTo(List.of());
        assertThat(browser.pageErrors()).isEmpty();
    }

    @Test
    void aServerThatDoesNotKnowVideoSizeIsNotAskedAgainAndNothingElseChanges() throws InterruptedException {
        browser.open(site.baseUrl() + "/?room=room&name=alice&user=alice&autojoin=1");
        browser.waitFor("window.roomdeck.state === 'joined' && window.roomdeck.client.published", WAIT);
        browser.js("window.__sfu.videoSize = 'refuse'"); // answers `error` unknown-type, as a server before issue 17
        assertThat(browser.jsAsync("return await window.__addPeer('bob')")).isEqualTo("joined");
        browser.waitFor(BOB_TILE + " && " + BOB_TILE + ".dataset.state === 'live'", WAIT);
        browser.waitFor("window.roomdeck.client.videoSizeSupported === false", WAIT);
        long sent = (Long) browser.js("return window.__sfu.peers.get('alice').videoSizes.length");
        browser.js("document.getElementById('chat-button').click()"); // the tile shrinks: no new wish is sent
        Thread.sleep(1000);
        assertThat(browser.js("return window.__sfu.peers.get('alice').videoSizes.length")).isEqualTo(sent);
        assertThat(browser.js("return window.roomdeck.errors")).as("no error for the page").isEqualTo(List.of());
        assertThat((String) browser.js("return document.getElementById('toasts').textContent")).doesNotContain("videoSize");
        assertThat(browser.js("return window.roomdeck.state")).isEqualTo("joined");
        assertThat(attr(BOB_TILE, "data-state")).isEqualTo("live");
        assertThat(browser.pageErrors()).isEmpty();
    }
}
