package dev.roomdeck.browser;

import static dev.roomdeck.browser.BrowserTests.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults a meeting-room server meets on a real network, with real Chromium: packet loss and delay on the path
 * (a lossy relay of the test's own on loopback), and a server restart.
 */
class BrowserResilienceTest {
    @BeforeAll
    static void guard() {
        BrowserTests.assumeBrowserCanRun();
    }

    /** framesDecoded, freezeCount, nackCount, pliCount and packetsLost of the page's inbound video, summed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> inboundVideo(Browser b) {
        return (Map<String, Object>) b.jsAsync("""
                const pc = window.roomdeck.client && window.roomdeck.client.peerConnection;
                const out = {framesDecoded: 0, freezeCount: 0, nackCount: 0, pliCount: 0, packetsLost: 0, packetsReceived: 0};
                if (!pc) return out;
                (await pc.getStats()).forEach(r => {
                  if (r.type === 'inbound-rtp' && r.kind === 'video') {
                    for (const k of Object.keys(out)) out[k] += r[k] || 0;
                  }
                });
                return out;""");
    }

    private static long n(Map<String, Object> m, String k) {
        return m.get(k) instanceof Number x ? x.longValue() : 0;
    }

    private static String page(TestServer s, String name) {
        return "http://127.0.0.1:" + s.server().httpPort() + "/?room=faults&name=" + name + "&user=" + name + "&autojoin=1";
    }

    private static ServerConfig withDefaultAppkey(ServerConfig c) {
        return c.withAppKeys(Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET));
    }

    /** Makes the page reach the server's media through the relay: its candidate in remote SDPs is rewritten. */
    private static String throughRelay(int mediaPort, int relayPort) {
        return """
                (() => {
                  const from = '127.0.0.1 %d typ host', to = '127.0.0.2 %d typ host';
                  const fix = d => d && d.sdp ? { type: d.type, sdp: d.sdp.replaceAll(from, to) } : d;
                  const set = RTCPeerConnection.prototype.setRemoteDescription;
                  RTCPeerConnection.prototype.setRemoteDescription = function (d, ...rest) { return set.call(this, fix(d), ...rest); };
                })();
                """.formatted(mediaPort, relayPort);
    }

    @Test
    void videoKeepsDecodingWithFivePercentLoss() throws Exception {
        // This kernel has no netem (sch_netem), so the lossy path is a relay of the test's own on 127.0.0.2.
        try (TestServer server = TestServer.start(BrowserResilienceTest::withDefaultAppkey);
             LossyRelay relay = new LossyRelay(new java.net.InetSocketAddress("127.0.0.1", server.server().mediaPort()), 10);
             Browser alice = Browser.start("--use-fake-device-for-media-stream=fps=30");
             Browser bob = Browser.start()) {
            String shim = throughRelay(server.server().mediaPort(), relay.port());
            alice.addInitScript(shim);
            bob.addInitScript(shim);
            alice.open(page(server, "alice") + "&video=640x480");
            bob.open(page(server, "bob"));
            eventually("bob decodes alice", Duration.ofSeconds(30), () -> n(inboundVideo(bob), "framesDecoded") > 20);
            Thread.sleep(3000);

            Map<String, Object> a0 = inboundVideo(bob);
            Thread.sleep(15_000);
            Map<String, Object> a1 = inboundVideo(bob);
            relay.loss(0.05);
            Thread.sleep(2000);
            Map<String, Object> b0 = inboundVideo(bob);
            Thread.sleep(15_000);
            Map<String, Object> b1 = inboundVideo(bob);
            relay.loss(0);
            long framesClean = n(a1, "framesDecoded") - n(a0, "framesDecoded");
            long framesLossy = n(b1, "framesDecoded") - n(b0, "framesDecoded");
            System.out.printf("15 s, 10 ms delay, no loss: %d frames decoded, %d freezes, %d NACKs, %d PLIs, %d packets lost%n",
                    framesClean, n(a1, "freezeCount") - n(a0, "freezeCount"), n(a1, "nackCount") - n(a0, "nackCount"),
                    n(a1, "pliCount") - n(a0, "pliCount"), n(a1, "packetsLost") - n(a0, "packetsLost"));
            System.out.printf("15 s, 10 ms delay, 5%% loss each way: %d frames decoded, %d freezes, %d NACKs, %d PLIs, %d packets lost%n",
                    framesLossy, n(b1, "freezeCount") - n(b0, "freezeCount"), n(b1, "nackCount") - n(b0, "nackCount"),
                    n(b1, "pliCount") - n(b0, "pliCount"), n(b1, "packetsLost") - n(b0, "packetsLost"));
            assertThat(n(b1, "nackCount") - n(b0, "nackCount")).as("losses are NACKed").isPositive();
            assertThat(framesLossy).as("video keeps decoding at 5 % loss").isGreaterThan(framesClean / 2);
        }
    }

    @Test
    void afterAServerRestartTheClientsComeBackAndTheRoomRefills() throws Exception {
        int httpPort;
        int mediaPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DatagramSocket d = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            httpPort = s.getLocalPort();
            mediaPort = d.getLocalPort();
        }
        TestServer first = TestServer.start(c -> withDefaultAppkey(c).withPorts(httpPort, mediaPort));
        try (Browser alice = Browser.start(); Browser bob = Browser.start()) {
            alice.open(page(first, "alice"));
            bob.open(page(first, "bob"));
            eventually("both decode", Duration.ofSeconds(30), () -> n(inboundVideo(alice), "framesDecoded") > 10
                    && n(inboundVideo(bob), "framesDecoded") > 10);

            first.close();
            long restarted = System.nanoTime();
            try (TestServer second = TestServer.start(c -> withDefaultAppkey(c).withPorts(httpPort, mediaPort))) {
                eventually("the room refills", Duration.ofSeconds(40),
                        () -> second.server().admin().snapshot().peerCount() == 2);
                eventually("media flows again", Duration.ofSeconds(30), () -> n(inboundVideo(alice), "framesDecoded") > 10
                        && n(inboundVideo(bob), "framesDecoded") > 10);
                System.out.printf("after the restart the room refilled and both decode again within %d ms%n",
                        (System.nanoTime() - restarted) / 1_000_000);
                assertThat(second.server().admin().snapshot().rooms().get(0).peers()).extracting("id")
                        .containsExactlyInAnyOrderElementsOf(List.of("alice", "bob"));
            }
        }
    }
}
