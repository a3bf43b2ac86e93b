package dev.roomdeck.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import org.eclipse.jetty.http.HttpURI;
import org.junit.jupiter.api.Test;

/** Who is sent from http:// to https:// (a browser on another machine asking for a page), and who is not. */
class HttpsRedirectTest {
    private static final InetAddress LAN_CLIENT = address(192, 168, 1, 30);
    private static final InetAddress THIS_PC = address(127, 0, 0, 1);

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> target(InetAddress client, String method, String url) {
        return HttpsRedirect.target(url.startsWith("https"), client, method, HttpURI.from(url), 7443);
    }

    @Test
    void aLanBrowserAskingForAPageGoesToTheSameHostAndPathOnHttps() {
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/?room=standup"))
                .contains("https://192.168.1.20:7443/?room=standup");
        assertThat(target(LAN_CLIENT, "HEAD", "http://roompc.local:7080/app.js")).contains("https://roompc.local:7443/app.js");
    }

    @Test
    void thisPcScriptsAndApisStayOnHttp() {
        assertThat(target(THIS_PC, "GET", "http://127.0.0.1:7080/")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/health")).isEmpty();
        assertThat(target(LAN_CLIENT, "POST", "http://192.168.1.20:7080/api/generateToken")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/ws")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/socket.io/?EIO=4&transport=polling")).isEmpty();
        assertThat(target(LAN_CLIENT, "POST", "http://192.168.1.20:7080/")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "https://192.168.1.20:7443/")).as("already secure").isEmpty();
    }

    @Test
    void theTrustPageStaysOnHttpSinceADeviceNeedsTheCaBeforeItTrustsHttps() {
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/trust")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/trust/")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/trust/roomdeck-ca.crt")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/trust/roomdeck-ca.mobileconfig")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/trust/trust.css")).isEmpty();
        assertThat(target(LAN_CLIENT, "GET", "http://192.168.1.20:7080/trusty")).as("only /trust itself")
                .contains("https://192.168.1.20:7443/trusty");
    }
}
