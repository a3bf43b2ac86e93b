package dev.roomdeck.console.join;

import dev.roomdeck.Launcher;
import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.tls.CertificateInfo;
import java.util.List;

/**
 * What people need to join one running server: the HTTPS URLs to share (browsers on other machines allow camera
 * and microphone only over HTTPS), plain HTTP for this PC itself, and the certificate they will be asked about.
 *
 * @param urls        https://&lt;host&gt;:&lt;httpsPort&gt;/ per address this server can be reached at (a supplied
 *                    certificate's host names first)
 * @param localUrl    plain HTTP, for a browser on this PC only
 * @param certificate the HTTPS certificate (its fingerprint is what people compare)
 * @param trustUrl    the plain-HTTP page that offers RoomDeck's local CA to devices; null with a supplied certificate
 */
public record JoinInfo(List<String> urls, String localUrl, CertificateInfo certificate, String trustUrl) {
    public JoinInfo {
        urls = List.copyOf(urls);
    }

    /** Without a trust page (a supplied certificate, or no LAN address). */
    public JoinInfo(List<String> urls, String localUrl, CertificateInfo certificate) {
        this(urls, localUrl, certificate, null);
    }

    public static JoinInfo of(RoomDeckServer server) {
        List<String> trust = Launcher.trustUrls(server);
        return new JoinInfo(Launcher.httpsJoinUrls(server),
                Launcher.localUrl(server.config(), server.httpPort()), server.certificate(),
                trust.isEmpty() ? null : trust.get(0));
    }

    /** The URL to give out first (the title, the status bar, "Copy join URL"). */
    public String shareUrl() {
        return urls.isEmpty() ? localUrl : urls.get(0);
    }

    /** What the browser will ask on the first visit, and what to do. */
    public String browserAdvice() {
        if (!certificate.generated()) {
            return "The certificate is your own (" + certificate.subject() + "): browsers that trust its issuer "
                    + "open the page without a question.";
        }
        String trust = trustUrl == null ? "this PC's /trust page" : trustUrl;
        return "Devices that trust this PC's RoomDeck certificate authority (installed once from " + trust
                + ") open the page with no warning. Until then the browser warns the certificate is not trusted: "
                + "check the fingerprint shown here, then Advanced → Proceed.";
    }
}
