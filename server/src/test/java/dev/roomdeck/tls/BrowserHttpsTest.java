package dev.roomdeck.tls;

import static dev.roomdeck.browser.BrowserTests.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.BrowserTests;
import dev.roomdeck.config.ServerConfig;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Chromium on the HTTPS port: the page comes over https://, signalling over wss://, and two browsers decode
 * each other's video. Chromium trusts exactly the generated certificate's key (its SPKI hash), as a browser
 * whose user accepted the certificate. Runs only in a loopback-only network namespace (see .ci/test).
 */
class BrowserHttpsTest {
    private final List<Browser> browsers = new ArrayList<>();
    private TestServer server;

    @BeforeAll
    static void guard() {
        BrowserTests.assumeBrowserCanRun();
    }

    @AfterEach
    void stop() throws Exception {
        for (Browser b : browsers) {
            b.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoBrowsersJoinOverHttpsAndWssAndDecodeEachOther() throws Exception {
        server = TestServer.start(c -> c.withAppKeys(Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET)));
        byte[] spki = TestCertificates.readPem(server.server().certificate().file()).get(0).getPublicKey().getEncoded();
        String trust = "--ignore-certificate-errors-spki-list="
                + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        String base = "https://127.0.0.1:" + server.server().httpsPort() + "/?room=secure&autojoin=1&user=";

        for (String name : List.of("alice", "bob")) {
            Browser b = Browser.start(trust);
            browsers.add(b);
            // Note every WebSocket URL the page opens.
            b.addInitScript("window.__sockets = []; window.WebSocket = new Proxy(window.WebSocket, {"
                    + " construct(target, args) { window.__sockets.push(String(args[0])); return new target(...args); } });");
            b.open(base + name + "&name=" + name); // the page keys its stats by user id
            eventually(name + " joined", Duration.ofSeconds(20), () -> "joined".equals(b.roomdeckState()));
            assertThat(b.js("return location.protocol")).isEqualTo("https:");
            assertThat(b.js("return window.isSecureContext")).isEqualTo(true);
        }
        Browser alice = browsers.get(0);
        Browser bob = browsers.get(1);
        eventually("bob decodes alice", Duration.ofSeconds(20), () -> bob.framesDecodedFrom("alice") > 10);
        eventually("alice decodes bob", Duration.ofSeconds(20), () -> alice.framesDecodedFrom("bob") > 10);
        assertThat(server.server().admin().snapshot().peerCount()).isEqualTo(2);
        for (Browser b : browsers) {
            assertThat(b.js("return window.__sockets")).asList()
                    .containsExactly("wss://127.0.0.1:" + server.server().httpsPort() + "/ws");
        }
    }
}
