package dev.roomdeck.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    private final OriginPolicy lan = OriginPolicy.of(List.of("lan"));

    @Test
    void requestsWithoutAnOriginAreNotFromABrowserPageAndPass() {
        assertThat(lan.allows(null)).isTrue();
        assertThat(OriginPolicy.of(List.of()).allows(null)).isTrue();
    }

    @Test
    void theLanDefaultLetsInPagesServedFromThisNetworkOnly() {
        assertThat(lan.allows("http://192.168.1.20:8080")).isTrue();
        assertThat(lan.allows("https://10.0.0.7")).isTrue();
        assertThat(lan.allows("http://172.20.3.4:3000")).isTrue();
        assertThat(lan.allows("http://127.0.0.1:5173")).isTrue();
        assertThat(lan.allows("http://[::1]:8080")).isTrue();
        assertThat(lan.allows("http://[fd12:3456::1]")).isTrue();
        assertThat(lan.allows("http://localhost:3000")).isTrue();
        assertThat(lan.allows("https://meeting-pc.local:7443")).isTrue();
        assertThat(lan.allows("http://intranet")).isTrue();

        assertThat(lan.allows("https://evil.example.com")).isFalse();
        assertThat(lan.allows("http://8.8.8.8")).isFalse();
        assertThat(lan.allows("http://172.32.0.1")).isFalse();
        assertThat(lan.allows("null")).isFalse();
        assertThat(lan.allows("file://")).isFalse();
        assertThat(lan.allows("chrome-extension://abc")).isFalse();
    }

    @Test
    void exactOriginsMatchSchemeHostAndPortWithDefaultPortsDropped() {
        OriginPolicy p = OriginPolicy.of(List.of("https://App.Example.com", "http://apps.example.org:8080"));
        assertThat(p.allows("https://app.example.com")).isTrue();
        assertThat(p.allows("https://app.example.com:443")).isTrue();
        assertThat(p.allows("http://app.example.com")).isFalse();
        assertThat(p.allows("https://app.example.com:8443")).isFalse();
        assertThat(p.allows("http://apps.example.org:8080")).isTrue();
        assertThat(p.allows("http://192.168.1.2")).isFalse(); // no "lan" in this list
    }

    @Test
    void starLetsEverySiteIn() {
        assertThat(OriginPolicy.of(List.of("*")).allows("https://anything.example")).isTrue();
    }

    @Test
    void anEntryThatIsNoOriginIsRefusedWithItsName() {
        assertThatThrownBy(() -> OriginPolicy.of(List.of("app.example.com")))
                .hasMessageContaining("'app.example.com' is not an origin");
        assertThatThrownBy(() -> OriginPolicy.of(List.of("https://app.example.com/path")))
                .hasMessageContaining("is not an origin");
    }

    @Test
    void theServersOwnPagesPassWhateverTheList() {
        OriginPolicy none = OriginPolicy.of(List.of());
        // A page served by this server: its Origin names the host the browser sent the request to (Host).
        assertThat(none.allows("https://meeting-pc.local:7443", "meeting-pc.local", 7443, 7080, 7443)).isTrue();
        assertThat(none.allows("https://Meeting-PC.local:7443", "meeting-pc.local", 7443, 7080, 7443)).isTrue();
        assertThat(none.allows("http://192.168.1.20:7080", "192.168.1.20", 7080, 7080, 7443)).isTrue();
        assertThat(none.allows("https://[fd00::5]:7443", "[fd00::5]", 7443, 7080, 7443)).isTrue();
        // ... or the server's other port for the other scheme: the HTTP page of the same host.
        assertThat(none.allows("http://meeting-pc.local:7080", "meeting-pc.local", 7443, 7080, 7443)).isTrue();
        // Behind a proxy on the default port the Host has no port: the default port of the page's scheme.
        assertThat(none.allows("https://meet.example.com", "meet.example.com", -1, 7080, 7443)).isTrue();

        // Another site, or another port of the same host (another web server there), is not the server.
        assertThat(none.allows("https://evil.example.com", "meeting-pc.local", 7443, 7080, 7443)).isFalse();
        assertThat(none.allows("http://meeting-pc.local:8080", "meeting-pc.local", 7443, 7080, 7443)).isFalse();
        assertThat(none.allows("https://meeting-pc.local:7080", "meeting-pc.local", 7443, 7080, 7443)).isFalse();
        assertThat(none.allows("null", "meeting-pc.local", 7443, 7080, 7443)).isFalse();
        assertThat(none.allows(null, "meeting-pc.local", 7443, 7080, 7443)).isTrue();
        // Not own, but allowed by the list: the list still counts.
        assertThat(lan.allows("http://192.168.1.30:3000", "192.168.1.20", 7443, 7080, 7443)).isTrue();
    }

    @Test
    void thePublicUrlIsTheServersOwnOriginToo() {
        OriginPolicy p = OriginPolicy.of(new dev.roomdeck.config.ServerConfig.Apps(
                List.of("https://app.example.com"), "https://meet.example.com", List.of(), "all"));
        assertThat(p.allows("https://meet.example.com")).isTrue();
        assertThat(p.allows("https://app.example.com")).isTrue();
        assertThat(p.allows("http://192.168.1.20")).isFalse();
        assertThat(p.toString()).isEqualTo("https://app.example.com, https://meet.example.com");
        assertThat(OriginPolicy.of(List.of()).toString()).isEqualTo("none");
        assertThat(lan.toString()).isEqualTo("this LAN");
    }
}
