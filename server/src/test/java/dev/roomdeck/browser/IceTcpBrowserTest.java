package dev.roomdeck.browser;

import static dev.roomdeck.browser.BrowserTests.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.UdpBlock;
import dev.roomdeck.admin.NetworkPath;
import dev.roomdeck.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An office network that drops UDP to the media port: Chromium, through the bundled page, still joins and
 * decodes over ICE-TCP on the same port number, and the operator sees TCP for those peers. With TCP switched
 * off, the same network leaves the page without media (so the first test could fail).
 */
class IceTcpBrowserTest {
    private TestServer server;
    private UdpBlock block;
    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void guard() {
        BrowserTests.assumeBrowserCanRun();
    }

    @AfterEach
    void stop() throws Exception {
        browsers.forEach(Browser::close);
        if (server != null) {
            server.close();
        }
        if (block != null) {
            block.close();
        }
    }

    private Browser join(String name) throws InterruptedException {
        Browser b = Browser.start();
        browsers.add(b);
        b.open("http://127.0.0.1:" + server.server().httpPort() + "/?room=tcp&name=" + name + "&user=" + name
                + "&autojoin=1&video=320x240");
        eventually(name + " joined", Duration.ofSeconds(20), () -> "joined".equals(b.roomdeckState()));
        return b;
    }

    /** The network doctor's view of one peer, as the console gets it. */
    private NetworkPath network(String peerId) {
        return server.server().admin().snapshot().rooms().stream().flatMap(r -> r.peers().stream())
                .filter(p -> p.id().equals(peerId)).findFirst().orElseThrow().network();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> selectedPair(Browser b) {
        Object pair = b.roomdeckStats().get("selectedPair");
        return pair == null ? Map.of() : (Map<String, Object>) pair;
    }

    @Test
    void udpBlockedPagesStillSeeEachOtherOverTcp() throws Exception {
        server = TestServer.start(c -> c.withAppKeys(Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET)));
        int mediaPort = server.server().mediaPort();
        block = UdpBlock.dropUdpTo(mediaPort);

        Browser alice = join("alice");
        Browser bob = join("bob");
        eventually("bob decodes alice", Duration.ofSeconds(30), () -> bob.framesDecodedFrom("alice") > 20);
        eventually("alice decodes bob", Duration.ofSeconds(30), () -> alice.framesDecodedFrom("bob") > 20);

        // The browsers' own view: the selected pair's server side is our passive TCP candidate on the media port.
        for (Browser b : List.of(alice, bob)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> remote = (Map<String, Object>) selectedPair(b).get("remote");
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
        server = TestServer.start(c -> c.withAppKeys(Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET))
                .withIceTcp(false));
        block = UdpBlock.dropUdpTo(server.server().mediaPort());

        Browser alice = join("alice");
        Browser bob = join("bob");
        // The doctor gives media its grace period, then flags both with what the server can tell.
        eventually("the doctor flags alice", Duration.ofSeconds(20),
                () -> network("alice").verdict() == NetworkPath.Verdict.NO_MEDIA);
        assertThat(bob.framesDecodedFrom("alice")).isZero();
        assertThat(selectedPair(bob)).isEmpty();
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
