package dev.roomdeck.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** allowedOrigins, publicUrl, iceServers and iceTransportPolicy: from the file and flags, checked with clear errors. */
class AppsSettingsTest {
    @TempDir
    Path dir;

    /** Loads with a throw-away data folder, so no stored settings of this machine take part. */
    private ServerConfig load(String... args) {
        CommandLine flags = new CommandLine();
        new picocli.CommandLine(flags).parseArgs(args);
        if (flags.dataDir == null) {
            flags.dataDir = dir;
        }
        return ConfigLoader.load(flags);
    }

    private String file(String json) throws Exception {
        Path f = dir.resolve("roomdeck-" + System.nanoTime() + ".json");
        Files.writeString(f, json);
        return f.toString();
    }

    @Test
    void theDefaultsAreTheLanNoPublicUrlNoIceServersAndAll() {
        ServerConfig.Apps a = load().apps();
        assertThat(a).isEqualTo(ServerConfig.Apps.defaults());
        assertThat(a.allowedOrigins()).containsExactly("lan");
        assertThat(a.publicUrl()).isNull();
        assertThat(a.iceServers()).isEmpty();
        assertThat(a.iceTransportPolicy()).isEqualTo("all");
    }

    @Test
    void theFileSetsAllFour() throws Exception {
        ServerConfig.Apps a = load("--config", file("""
                {"allowedOrigins": ["lan", "https://app.example.com"],
                 "publicUrl": "https://meet.example.com/",
                 "iceServers": [{"urls": "stun:stun.example.com:3478"},
                                {"urls": ["turn:turn.example.com:3478", "turns:turn.example.com:5349"],
                                 "username": "room-pc", "credential": "s3cret"}],
                 "iceTransportPolicy": "relay"}""")).apps();
        assertThat(a.allowedOrigins()).containsExactly("lan", "https://app.example.com");
        assertThat(a.publicUrl()).isEqualTo("https://meet.example.com"); // the trailing slash dropped
        assertThat(a.iceServers()).containsExactly(
                new ServerConfig.IceServer(List.of("stun:stun.example.com:3478"), null, null),
                new ServerConfig.IceServer(List.of("turn:turn.example.com:3478", "turns:turn.example.com:5349"),
                        "room-pc", "s3cret"));
        assertThat(a.iceTransportPolicy()).isEqualTo("relay");
        assertThat(a.iceServers().get(1).toString()).doesNotContain("s3cret");
    }

    @Test
    void flagsOverrideTheFile() throws Exception {
        String f = file("{\"allowedOrigins\": \"*\", \"publicUrl\": \"https://a.example.com\"}");
        assertThat(load("--config", f).apps().allowedOrigins()).containsExactly("*");
        ServerConfig.Apps a = load("--config", f, "--allowed-origins", "lan,https://b.example.com",
                "--public-url", "http://192.168.1.20:7080", "--ice-transport-policy", "all").apps();
        assertThat(a.allowedOrigins()).containsExactly("lan", "https://b.example.com");
        assertThat(a.publicUrl()).isEqualTo("http://192.168.1.20:7080");
        assertThat(load("--allowed-origins", "lan", "--allowed-origins", "http://intranet:3000").apps().allowedOrigins())
                .containsExactly("lan", "http://intranet:3000");
    }

    @Test
    void badOriginsAreRefusedByName() {
        assertThatThrownBy(() -> load("--allowed-origins", "lan,app.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("allowedOrigins").hasMessageContaining("'app.example.com' is not an origin");
        assertThatThrownBy(() -> load("--allowed-origins", "https://app.example.com/login"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allowedOrigins");
    }

    @Test
    void thePublicUrlMustBeAnHttpBaseUrl() {
        for (String bad : List.of("ws://pc.lan:7080", "pc.lan:7080", "https://pc.lan/socket.io/", "https://pc.lan?x=1",
                "https://user@pc.lan", "https://")) {
            assertThatThrownBy(() -> load("--public-url", bad)).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("publicUrl: ");
        }
        assertThatThrownBy(() -> load("--public-url", "https://pc.lan/roomdeck")).hasMessageContaining("without a path");
        assertThat(load("--public-url", "https://[fd00::5]:7443").apps().publicUrl()).isEqualTo("https://[fd00::5]:7443");
    }

    @Test
    void iceSettingsAreCheckedAsABrowserWould() throws Exception {
        assertThatThrownBy(() -> load("--ice-transport-policy", "none"))
                .isInstanceOf(ConfigException.class).hasMessage("iceTransportPolicy: 'none' must be 'all' or 'relay'");
        assertThatThrownBy(() -> load("--ice-transport-policy", "relay"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a TURN server");
        assertThatThrownBy(() -> load("--config", file("{\"iceServers\": [{\"urls\": \"turn:t.example.com\"}]}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("iceServers[0]: a TURN server needs username and credential");
        assertThatThrownBy(() -> load("--config", file("{\"iceServers\": [{\"urls\": \"http://t.example.com\"}]}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("iceServers[0]: 'http://t.example.com'");
        assertThatThrownBy(() -> load("--config", file("{\"iceServers\": [{\"urls\": []}]}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("iceServers[0]: urls");
        assertThatThrownBy(() -> load("--config", file("{\"iceServers\": [{\"username\": \"x\"}]}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("iceServers[0]: needs urls");
        assertThatThrownBy(() -> load("--config", file("{\"iceServers\": [{\"urls\": \"stun:s\", \"password\": \"x\"}]}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("password");
    }

    @Test
    void theConsoleKeepsTheseKeysWhenItSavesItsOwn() throws Exception {
        Path stored = ConfigLoader.storedFile(dir);
        Files.writeString(stored, "{\"allowedOrigins\": [\"https://app.example.com\"], \"iceTransportPolicy\": \"all\"}");
        dev.roomdeck.settings.SettingsStore store = dev.roomdeck.settings.SettingsStore.in(dir);
        store.save(store.settings().withPorts(0, 0, 0));
        assertThat(load().apps().allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(Files.readString(stored)).contains("allowedOrigins", "iceTransportPolicy");
    }
}
