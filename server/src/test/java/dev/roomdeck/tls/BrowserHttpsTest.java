package dev.roomdeck.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.BrowserMeeting;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real Chromium on the HTTPS port: the page comes over https://, signalling over wss://, and two browsers decode
 * each other's video. Chromium trusts exactly the generated certificate's key (its SPKI hash), as a browser
 * whose user accepted the certificate. Runs only in a loopback-only network namespace (see .ci/test).
 */
class BrowserHttpsTest {
    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();

    @Test
    void twoBrowsersJoinOverHttpsAndWssAndDecodeEachOther() throws Exception {
        TestServer server = meeting.startServer();
        String trust = meeting.trustServerCertificateFlag();

        for (String name : List.of("alice", "bob")) {
            // Note every WebSocket URL the page opens.
            Browser b = meeting.browser(trust).recordWebSockets();
            meeting.join(b, meeting.page("secure", name).https()); // the page keys its stats by user id
            assertThat(b.js("return location.protocol")).isEqualTo("https:");
            assertThat(b.js("return window.isSecureContext")).isEqualTo(true);
        }
        Browser alice = meeting.browsers().get(0);
        Browser bob = meeting.browsers().get(1);
        meeting.awaitDecodes(bob, "alice", 10, Duration.ofSeconds(20));
        meeting.awaitDecodes(alice, "bob", 10, Duration.ofSeconds(20));
        assertThat(server.server().admin().snapshot().peerCount()).isEqualTo(2);
        for (Browser b : meeting.browsers()) {
            assertThat(b.webSockets()).asList()
                    .containsExactly("wss://127.0.0.1:" + server.server().httpsPort() + "/ws");
        }
    }
}
