package dev.roomdeck.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.TestServer;
import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ConfigException;
import dev.roomdeck.tls.TestCertificates;
import dev.roomdeck.tls.WssClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applying settings from the console: saved, clients told to reconnect, the server restarted with them. */
class LiveServerTest {
    static final String APPKEY = "test";

    @TempDir
    Path dataDir;
    private LiveServer live;

    private CommandLine flags(String... extra) {
        CommandLine flags = new CommandLine();
        new picocli.CommandLine(flags).parseArgs(extra);
        flags.dataDir = dataDir;
        return flags;
    }

    /** As a first run of the console would leave it, but on loopback with free ports. */
    @BeforeEach
    void firstRun() throws Exception {
        SettingsStore store = SettingsStore.in(dataDir);
        store.save(store.settings().withBind("127.0.0.1").withPorts(0, 0, 0)
                .withTokens(true, Map.of(APPKEY, TestServer.SECRET)));
        live = LiveServer.start(flags());
    }

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static int health(RoomDeckServer server) throws Exception {
        X509Certificate cert = TestCertificates.readPem(server.certificate().file()).get(0);
        HttpClient http = HttpClient.newBuilder().sslContext(TestCertificates.trusting(cert)).build();
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpsPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static WssClient joined(RoomDeckServer server) throws Exception {
        X509Certificate cert = TestCertificates.readPem(server.certificate().file()).get(0);
        WssClient c = WssClient.connect(URI.create("wss://127.0.0.1:" + server.httpsPort() + "/ws"),
                TestCertificates.jettyTrusting(cert));
        ObjectNode join = TestServer.object();
        join.put("appkey", APPKEY);
        join.put("room", "r1");
        join.put("user", "alice");
        join.put("token", server.tokens().issue(APPKEY, "r1", "alice", Duration.ofMinutes(5)));
        join.put("planb", false);
        join.put("sdp", TestServer.emptyOffer());
        c.send("join", join);
        c.await("joined", TestServer.WAIT);
        return c;
    }

    @Test
    void applyingSettingsTellsClientsToReconnectAndRestartsWithThem() throws Exception {
        RoomDeckServer before = live.server();
        List<RoomDeckServer> restarted = new CopyOnWriteArrayList<>();
        live.onRestart(restarted::add);
        int http = Ports.freeTcp();
        int https = Ports.freeTcp();
        int media = Ports.freeUdp();

        try (WssClient alice = joined(before)) {
            RoomDeckServer after = live.apply(live.settings().withPorts(http, https, media));

            assertThat(alice.await("leave", TestServer.WAIT).at("/data/reason").asText()).isEqualTo("restart");
            assertThat(alice.awaitClose(TestServer.WAIT).code()).isEqualTo(1001);
            assertThat(after).isNotSameAs(before).isSameAs(live.server());
            assertThat(restarted).containsExactly(after);
            assertThat(List.of(after.httpPort(), after.httpsPort(), after.mediaPort())).containsExactly(http, https, media);
            assertThat(health(after)).isEqualTo(200);
            try (WssClient again = joined(after)) {
                assertThat(again).isNotNull(); // the client comes back to the same address, new port
            }
        }
    }

    @Test
    void settingsSurviveARestartOfTheApp() throws Exception {
        int http = Ports.freeTcp();
        int https = Ports.freeTcp();
        int media = Ports.freeUdp();
        Settings chosen = live.settings().withPorts(http, https, media).withHttpRedirect(false)
                .withTokens(false, Map.of(APPKEY, TestServer.SECRET, "other", TestServer.SECRET + "-other"));
        String fingerprint = live.server().certificate().fingerprint();
        live.apply(chosen);
        live.close();

        live = LiveServer.start(flags());
        RoomDeckServer server = live.server();
        assertThat(live.settings()).isEqualTo(chosen);
        assertThat(List.of(server.httpPort(), server.httpsPort(), server.mediaPort())).containsExactly(http, https, media);
        assertThat(server.config().tokenEndpoint()).isFalse();
        assertThat(server.certificate().fingerprint()).as("the kept certificate, no new browser warning")
                .isEqualTo(fingerprint);
        assertThat(health(server)).isEqualTo(200);
    }

    @Test
    void aBadSettingStopsNothingAndChangesNothing() throws Exception {
        RoomDeckServer running = live.server();
        byte[] saved = Files.readAllBytes(live.store().file());
        assertThatThrownBy(() -> live.apply(live.settings().withBind("every-interface")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bind:");
        assertThat(live.server()).isSameAs(running);
        assertThat(health(running)).isEqualTo(200);
        assertThat(Files.readAllBytes(live.store().file())).isEqualTo(saved);
    }

    @Test
    void settingsThatCannotStartAServerBringTheFormerOnesBack() throws Exception {
        byte[] saved = Files.readAllBytes(live.store().file());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> live.apply(live.settings().withPorts(taken.getLocalPort(), 0, 0)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("former settings are in use again");
        }
        assertThat(health(live.server())).isEqualTo(200);
        assertThat(Files.readAllBytes(live.store().file())).isEqualTo(saved);
    }

    @Test
    void settingsGivenAsFlagsAreFixed() throws Exception {
        assertThat(live.server().mediaEndpoint().iceTcp()).as("ICE over TCP is on by default").isTrue();
        live.close();
        live = LiveServer.start(flags("--https-port", "0", "--no-http-redirect", "--no-ice-tcp"));
        assertThat(live.fixedByFlags()).containsExactly("httpsPort", "iceTcp", "httpRedirect");
        assertThat(live.server().config().iceTcp()).isFalse();
        assertThat(live.server().mediaEndpoint().iceTcp()).as("the media endpoint is opened without it").isFalse();
        assertThat(live.server().config().tls().httpRedirect()).isFalse();
    }
}
