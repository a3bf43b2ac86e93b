package dev.roomdeck.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ConfigLoader;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's settings saved as the config file in the data folder, which the server reads at start. */
class SettingsStoreTest {
    static final String SECRET = "a-secret-that-is-long-enough-for-hs256!!";

    @TempDir
    Path dataDir;

    private static ServerConfig load(String... args) {
        CommandLine flags = new CommandLine();
        new picocli.CommandLine(flags).parseArgs(args);
        return ConfigLoader.load(flags);
    }

    private Settings edited(SettingsStore store) {
        return store.settings().withBind("127.0.0.1").withPorts(8081, 8444, 10001)
                .withAddresses(List.of("127.0.0.1"), "203.0.113.7")
                .withTokens(false, Map.of("app", SECRET)).withHttpRedirect(false).withIceTcp(false);
    }

    @Test
    void withoutAFileTheSettingsAreTheDefaults() {
        SettingsStore store = SettingsStore.in(dataDir);
        assertThat(store.file()).isEqualTo(dataDir.resolve("roomdeck.json"));
        assertThat(store.settings()).isEqualTo(Settings.defaults());
        assertThat(store.settings().httpsPort()).isEqualTo(7443);
        assertThat(store.settings().iceTcp()).isTrue();
    }

    @Test
    void httpsTakes7443OrAFreePortWhenHttpTakesOne() {
        assertThat(load("--data-dir", dataDir.toString()).tls().httpsPort()).isEqualTo(7443);
        assertThat(load("--data-dir", dataDir.toString(), "--http-port", "0").tls().httpsPort()).isZero();
        assertThat(load("--data-dir", dataDir.toString(), "--http-port", "0", "--https-port", "8443").tls().httpsPort())
                .isEqualTo(8443);
        assertThatThrownBy(() -> load("--data-dir", dataDir.toString(), "--https-port", "-1"))
                .hasMessageStartingWith("httpsPort: -1 is not a port");
    }

    @Test
    void savedSettingsAreWhatTheServerStartsWithAndFlagsStillWin() throws Exception {
        SettingsStore store = SettingsStore.in(dataDir);
        store.save(edited(store));
        assertThat(Files.getPosixFilePermissions(store.file())).as("holds secrets")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        ServerConfig c = load("--data-dir", dataDir.toString());
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.httpPort()).isEqualTo(8081);
        assertThat(c.tls().httpsPort()).isEqualTo(8444);
        assertThat(c.mediaPort()).isEqualTo(10001);
        assertThat(c.mediaAddresses()).containsExactly("127.0.0.1");
        assertThat(c.announcedAddress()).isEqualTo("203.0.113.7");
        assertThat(c.tokenEndpoint()).isFalse();
        assertThat(c.appKeys()).containsEntry("app", SECRET);
        assertThat(c.tls().httpRedirect()).isFalse();
        assertThat(c.iceTcp()).isFalse();
        assertThat(store.settings()).isEqualTo(edited(store));

        ServerConfig flagged = load("--data-dir", dataDir.toString(), "--http-port", "9000", "--http-redirect");
        assertThat(flagged.httpPort()).isEqualTo(9000);
        assertThat(flagged.tls().httpsPort()).isEqualTo(8444);
        assertThat(flagged.tls().httpRedirect()).isTrue();
        assertThat(load("--data-dir", dataDir.toString(), "--ice-tcp").iceTcp()).isTrue();
        // The same file works as --config, e.g. for a headless install.
        assertThat(load("--config", store.file().toString()).httpPort()).isEqualTo(8081);
    }

    @Test
    void aBadSettingIsRefusedByNameAndTheSavedFileStaysAsItWas() throws Exception {
        SettingsStore store = SettingsStore.in(dataDir);
        Settings good = edited(store);
        store.save(good);
        byte[] before = Files.readAllBytes(store.file());
        Path p12 = TestCertificates.writePkcs12(TestCertificates.rsaFor127(), dataDir.resolve("server.p12"), "right");

        Map<String, UnaryOperator<Settings>> mistakes = Map.of(
                "httpPort: 70000 is not a port", s -> s.withPorts(70000, 8444, 10001),
                "httpsPort: must differ from httpPort", s -> s.withPorts(8081, 8081, 10001),
                "bind: 'meeting-pc' is not an IP address", s -> s.withBind("meeting-pc"),
                "mediaAddresses: '192.168.1' is not an IP address", s -> s.withAddresses(List.of("192.168.1"), null),
                "announcedAddress: 'nat.example.com' is not an IP address", s -> s.withAddresses(List.of(), "nat.example.com"),
                "appKeys: the secret of appkey 'app' must be at least 32 characters", s -> s.withTokens(true, Map.of("app", "short")),
                "tlsCertificate: no such file", s -> s.withCertificate(dataDir.resolve("missing.p12"), null, "x"),
                "tlsPassword: wrong password", s -> s.withCertificate(p12, null, "wrong"));
        mistakes.forEach((message, mistake) -> {
            assertThatThrownBy(() -> store.save(mistake.apply(good))).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(message);
            try {
                assertThat(Files.readAllBytes(store.file())).as("after " + message).isEqualTo(before);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(store.settings()).isEqualTo(good);
    }

    @Test
    void aCertificateIsSavedWithAnAbsolutePathAndChecked() throws Exception {
        SettingsStore store = SettingsStore.in(dataDir);
        Path p12 = TestCertificates.writePkcs12(TestCertificates.rsaFor127(), dataDir.resolve("server.p12"), "right");
        ServerConfig saved = store.save(store.settings().withCertificate(p12, null, "right"));
        assertThat(saved.tls().certificate()).isEqualTo(p12.toAbsolutePath());
        assertThat(saved.tls().password()).isEqualTo("right");
        assertThat(store.settings().withCertificate(null, null, null)).isEqualTo(Settings.defaults());
    }

    @Test
    void keysTheConsoleDoesNotEditAreKept() throws Exception {
        SettingsStore store = SettingsStore.in(dataDir);
        Files.writeString(store.file(), "{\"maxPeersPerRoom\": 5, \"defaultBitrateKbps\": 800}");
        store.save(store.settings().withPorts(8081, 8444, 10001));
        ServerConfig c = store.config();
        assertThat(c.limits().maxPeersPerRoom()).isEqualTo(5);
        assertThat(c.defaultBitrateKbps()).isEqualTo(800);
        assertThat(c.httpPort()).isEqualTo(8081);
        assertThat(Files.readString(store.file())).doesNotContain("null");
    }
}
