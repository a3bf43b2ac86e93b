package dev.roomdeck.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Option;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static ServerConfig load(String... args) {
        CommandLine flags = new CommandLine();
        new picocli.CommandLine(flags).parseArgs(args);
        return ConfigLoader.load(flags);
    }

    @Test
    void embeddedDefaultsNeedNoFileAndNoFlag() {
        ServerConfig c = load();
        assertThat(c.httpPort()).isEqualTo(7080);
        assertThat(c.mediaPort()).isEqualTo(10000);
        assertThat(c.bind()).isEqualTo("0.0.0.0");
        assertThat(c.tokenEndpoint()).isTrue();
        assertThat(c.iceTcp()).isTrue();
    }

    @Test
    void flagsOverrideTheFileWhichOverridesDefaults() throws Exception {
        Path file = dir.resolve("roomdeck.json");
        Files.writeString(file, "{\"httpPort\": 8000, \"mediaPort\": 20000, \"maxPeersPerRoom\": 5, \"tokenEndpoint\": false}");
        ServerConfig c = load("--config", file.toString(), "--http-port", "0", "--bind", "127.0.0.1");
        assertThat(c.httpPort()).isZero();
        assertThat(c.mediaPort()).isEqualTo(20000);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.limits().maxPeersPerRoom()).isEqualTo(5);
        assertThat(c.tokenEndpoint()).isFalse();
        assertThat(load("--config", file.toString(), "--token-endpoint").tokenEndpoint()).isTrue();
    }

    @Test
    void iceOverTcpIsOnByDefaultTheFileCanTurnItOffAndTheFlagWins() throws Exception {
        assertThat(load("--no-ice-tcp").iceTcp()).isFalse();
        assertThat(load("--ice-tcp").iceTcp()).isTrue();
        Path off = dir.resolve("off.json");
        Files.writeString(off, "{\"iceTcp\": false}");
        assertThat(load("--config", off.toString()).iceTcp()).isFalse();
        assertThat(load("--config", off.toString(), "--ice-tcp").iceTcp()).isTrue();
        Path on = dir.resolve("on.json");
        Files.writeString(on, "{\"iceTcp\": true}");
        assertThat(load("--config", on.toString(), "--no-ice-tcp").iceTcp()).as("the flag wins over the file").isFalse();
        // The switch survives the with... copies the loader and the server make.
        ServerConfig c = load("--config", off.toString());
        assertThat(c.withPorts(0, 0).withBind("127.0.0.1").withAddresses(java.util.List.of(), null)
                .withTokenEndpoint(false).withLimits(c.limits()).withTls(c.tls()).withApps(c.apps())
                .withDataDir(dir).withAppKeys(java.util.Map.of()).iceTcp()).isFalse();
    }

    @Test
    void badSettingsAreRefusedByName() throws Exception {
        assertThatThrownBy(() -> load("--http-port", "70000")).hasMessageContaining("httpPort");
        assertThatThrownBy(() -> load("--bind", "not-an-ip")).hasMessageContaining("bind");
        assertThatThrownBy(() -> load("--appkey", "app=short")).hasMessageContaining("at least 32");
        assertThatThrownBy(() -> load("--max-message-bytes", "10")).hasMessageContaining("maxMessageBytes");
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"httpPort\": 8000, \"colour\": \"blue\"}");
        assertThatThrownBy(() -> load("--config", file.toString())).hasMessageContaining("colour");
    }

    @Test
    void helpExplainsEveryOption() {
        StringWriter out = new StringWriter();
        new picocli.CommandLine(new CommandLine()).usage(new PrintWriter(out));
        for (Field f : CommandLine.class.getFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                assertThat(out.toString()).contains(o.names()[0].substring(2));
                assertThat(o.description()).isNotEmpty();
            }
        }
        assertThat(out.toString()).contains("--http-port", "--media-port", "--bind", "--help");
    }
}
