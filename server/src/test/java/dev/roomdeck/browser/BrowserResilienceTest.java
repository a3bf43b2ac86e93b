package dev.roomdeck.browser;

import static dev.roomdeck.browser.Browser.number;
import static dev.roomdeck.browser.BrowserMeeting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults a meeting-room server meets on a real network, with real Chromium: packet loss and delay on the path
 * (a lossy relay of the test's own on loopback), and a server restart.
 */
class BrowserResilienceTest {
    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();

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

    private String page(String name) {
        return meeting.page("faults", name).url();
    }


    @Test
    void videoKeepsDecodingWithFivePercentLoss() throws Exception {
        // This kernel has no netem (sch_netem), so the lossy path is a relay of the test's own on 127.0.0.2.
        TestServer server = meeting.startServer();
        UdpRelay relay = meeting.closeAfter(new UdpRelay(new java.net.InetSocketAddress("127.0.0.1", server.server().mediaPort()), 10));
        Browser alice = meeting.browser("--use-fake-device-for-media-stream=fps=30");
        Browser bob = meeting.browser();
        String shim = UdpRelay.pageShim(server.server().mediaPort(), relay.port());
        alice.addInitScript(shim);
        bob.addInitScript(shim);
        alice.open(meeting.page("faults", "alice").video("640x480").url());
        bob.open(page("bob"));
        eventually("bob decodes alice", Duration.ofSeconds(30), () -> number(inboundVideo(bob), "framesDecoded") > 20);
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
        long framesClean = number(a1, "framesDecoded") - number(a0, "framesDecoded");
        long framesLossy = number(b1, "framesDecoded") - number(b0, "framesDecoded");
        System.out.printf("15 s, 10 ms delay, no loss: %d frames decoded, %d freezes, %d NACKs, %d PLIs, %d packets lost%n",
                framesClean, number(a1, "freezeCount") - number(a0, "freezeCount"), number(a1, "nackCount") - number(a0, "nackCount"),
                number(a1, "pliCount") - number(a0, "pliCount"), number(a1, "packetsLost") - number(a0, "packetsLost"));
        System.out.printf("15 s, 10 ms delay, 5%% loss each way: %d frames decoded, %d freezes, %d NACKs, %d PLIs, %d packets lost%n",
                framesLossy, number(b1, "freezeCount") - number(b0, "freezeCount"), number(b1, "nackCount") - number(b0, "nackCount"),
                number(b1, "pliCount") - number(b0, "pliCount"), number(b1, "packetsLost") - number(b0, "packetsLost"));
        assertThat(number(b1, "nackCount") - number(b0, "nackCount")).as("losses are NACKed").isPositive();
        assertThat(framesLossy).as("video keeps decoding at 5 % loss").isGreaterThan(framesClean / 2);
    }

    @Test
    void afterAServerRestartTheClientsComeBackAndTheRoomRefills() throws Exception {
        meeting.startServer();
        Browser alice = meeting.browser();
        Browser bob = meeting.browser();
        alice.open(page("alice"));
        bob.open(page("bob"));
        eventually("both decode", Duration.ofSeconds(30), () -> number(inboundVideo(alice), "framesDecoded") > 10
                && number(inboundVideo(bob), "framesDecoded") > 10);

        long restarted = System.nanoTime();
        // The same config on the same ports: the pages come back to the address they know.
        TestServer second = meeting.restartServer();
        eventually("the room refills", Duration.ofSeconds(40),
                () -> second.server().admin().snapshot().peerCount() == 2);
        eventually("media flows again", Duration.ofSeconds(30), () -> number(inboundVideo(alice), "framesDecoded") > 10
                && number(inboundVideo(bob), "framesDecoded") > 10);
        System.out.printf("after the restart the room refilled and both decode again within %d ms%n",
                (System.nanoTime() - restarted) / 1_000_000);
        assertThat(second.server().admin().snapshot().rooms().get(0).peers()).extracting("id")
                .containsExactlyInAnyOrderElementsOf(List.of("alice", "bob"));
    }
}
