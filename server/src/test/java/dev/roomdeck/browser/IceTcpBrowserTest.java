package dev.roomdeck.browser;

import static dev.roomdeck.browser.BrowserMeeting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.UdpBlock;
import dev.roomdeck.admin.NetworkPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An office network that drops UDP to the media port: Chromium, through the bundled page, still joins and
 * decodes over ICE-TCP on the same port number, and the operator sees TCP for those peers. With TCP switched
 * off, the same network leaves the page without media (so the first test could fail).
 */
class IceTcpBrowserTest {
    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();

    private Browser join(String name) throws InterruptedException {
        return meeting.join(meeting.page("tcp", name).video("320x240"));
    }

    /** The network doctor's view of one peer, as the console gets it. */
    private NetworkPath network(String peerId) {
        return meeting.server().server().admin().snapshot().rooms().stream().flatMap(r -> r.peers().stream())
                .filter(p -> p.id().equals(peerId)).findFirst().orElseThrow().network();
    }

    @Test
    void udpBlockedPagesStillSeeEachOtherOverTcp() throws Exception {
        TestServer server = meeting.startServer();
        int mediaPort = server.server().mediaPort();
        UdpBlock block = meeting.closeAfter(UdpBlock.dropUdpTo(mediaPort));

        Browser alice = join("alice");
        Browser bob = join("bob");
        meeting.awaitDecodes(bob, "alice", 20, Duration.ofSeconds(30));
        meeting.awaitDecodes(alice, "bob", 20, Duration.ofSeconds(30));

        // The browsers' own view: the selected pair's server side is our passive TCP candidate on the media port.
        for (Browser b : List.of(alice, bob)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> remote = (Map<String, Object>) b.selectedPair().get("remote");
            assertThat(remote).containsEntry("protocol", "tcp");
            assertThat(((Number) remote.get("port")).intValue()).isEqualTo(mediaPort);
        }
        // UDP was really tried and really dropped.
        assertThat(block.dropped()).isPositive();
        // What the operator's console shows for them: TCP, flagged as a warning that says UDP is blocked.
        for (String name : List.of("alice", "bob")) {
            NetworkPath path = network(name);
            assertThat(path.protocol()).isEqualTo("tcp");
            assertThat(path.localAddress()).isEqualTo("127.0.0.1:" + mediaPort);
            assertThat(path.iceMillis()).isBetween(0L, 30_000L);
            assertThat(path.verdict()).isEqualTo(NetworkPath.Verdict.WARNING);
            assertThat(path.findings()).anyMatch(f -> f.startsWith("Media runs over TCP: UDP port " + mediaPort));
        }
        // Frames keep coming: the TCP path carries a steady stream, not a burst.
        long before = bob.framesDecodedFrom("alice");
        Thread.sleep(2000);
        assertThat(bob.framesDecodedFrom("alice") - before).as("frames decoded in 2 s over TCP").isGreaterThan(15);
    }

    @Test
    void withTcpSwitchedOffTheBlockedNetworkGetsNoMedia() throws Exception {
        TestServer server = meeting.startServer(c -> c.withIceTcp(false));
        UdpBlock block = meeting.closeAfter(UdpBlock.dropUdpTo(server.server().mediaPort()));

        Browser alice = join("alice");
        Browser bob = join("bob");
        // The doctor gives media its grace period, then flags both with what the server can tell.
        eventually("the doctor flags alice", Duration.ofSeconds(20),
                () -> network("alice").verdict() == NetworkPath.Verdict.NO_MEDIA);
        assertThat(bob.framesDecodedFrom("alice")).isZero();
        assertThat(bob.selectedPair()).isEmpty();
        assertThat(block.dropped()).isPositive();
        assertThat(alice.roomdeckState()).isEqualTo("joined"); // signalling is fine; only media cannot pass
        NetworkPath path = network("alice");
        assertThat(path.protocol()).isNull();
        assertThat(path.findings()).anyMatch(f -> f.startsWith("No connectivity check from this device has reached"
                + " media port " + server.server().mediaPort() + " (UDP)"));
        assertThat(path.findings()).contains("ICE over TCP is switched off: if this network blocks UDP, switch it on"
                + " in Settings.");
    }
}
