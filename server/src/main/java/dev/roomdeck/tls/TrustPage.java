package dev.roomdeck.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The trust page, {@value CertificateInfo#TRUST_PATH}: served over plain HTTP too (and never redirected, see
 * {@link HttpsRedirect}), since a device must get RoomDeck's CA before it can trust the HTTPS port. It offers
 * <ul>
 *   <li>{@code /trust/roomdeck-ca.crt}: the CA in DER, {@code application/x-x509-ca-cert} (Windows, Android,
 *       ChromeOS and Linux open it as a CA certificate to install),</li>
 *   <li>{@code /trust/roomdeck-ca.mobileconfig}: an Apple configuration profile holding the CA
 *       (a {@code com.apple.security.root} payload), {@code application/x-apple-aspen-config}, for iOS, iPadOS and
 *       macOS. It is not signed: the devices show it as "Not Signed"/"Unverified", which is why the page shows the
 *       CA's SHA-256 fingerprint to compare,</li>
 *   <li>the fingerprint, and short steps per platform.</li>
 * </ul>
 * With a supplied certificate there is no local CA: the page says so and the downloads answer 404. The page is plain
 * HTML with its style in {@code /trust/trust.css} (the server's Content-Security-Policy allows no inline style).
 */
public final class TrustPage extends Handler.Abstract {
    static final String CRT = "roomdeck-ca.crt";
    static final String MOBILECONFIG = "roomdeck-ca.mobileconfig";
    static final String CSS = "trust.css";

    private final X509Certificate authority;
    private final byte[] page;
    private final byte[] css;

    public TrustPage(ServerCertificate certificate) {
        this.authority = certificate.authority().orElse(null);
        this.page = html(authority).getBytes(StandardCharsets.UTF_8);
        byte[] style;
        try (var in = TrustPage.class.getResourceAsStream("/web/" + CSS)) {
            style = in == null ? new byte[0] : in.readAllBytes();
        } catch (java.io.IOException e) {
            style = new byte[0];
        }
        this.css = style;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        // The whole path: the mapping may hand on a request whose path-in-context is relative to "/trust".
        String path = request.getHttpURI().getCanonicalPath();
        String base = CertificateInfo.TRUST_PATH;
        if (path.equals(base) || path.equals(base + "/")) {
            return send(request, response, callback, "text/html;charset=utf-8", page, null);
        }
        if (path.equals(base + "/" + CSS)) {
            return send(request, response, callback, "text/css;charset=utf-8", css, null);
        }
        if (authority == null) {
            return false;
        }
        if (path.equals(base + "/" + CRT)) {
            return send(request, response, callback, "application/x-x509-ca-cert", der(authority), CRT);
        }
        if (path.equals(base + "/" + MOBILECONFIG)) {
            return send(request, response, callback, "application/x-apple-aspen-config",
                    mobileconfig(authority).getBytes(StandardCharsets.UTF_8), MOBILECONFIG);
        }
        return false;
    }

    private static boolean send(Request request, Response response, Callback callback, String type, byte[] body,
                                String fileName) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (fileName != null) {
            response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
        }
        response.write(true, "HEAD".equals(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }

    static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the CA certificate", e);
        }
    }

    /**
     * An Apple configuration profile (an XML property list) with one {@code com.apple.security.root} payload
     * holding the CA's DER. Its identifiers and UUIDs derive from the CA's fingerprint, so downloading it again
     * replaces the installed profile instead of adding a second one.
     */
    static String mobileconfig(X509Certificate ca) {
        String fingerprint = CertificateInfo.fingerprint(ca).replace(":", "");
        String name = xml(commonName(ca));
        String payloadId = "dev.roomdeck.ca." + fingerprint.substring(0, 16).toLowerCase(java.util.Locale.ROOT);
        String data = Base64.getMimeEncoder(52, "\n\t\t\t".getBytes(StandardCharsets.US_ASCII)).encodeToString(der(ca));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                	<key>PayloadContent</key>
                	<array>
                		<dict>
                			<key>PayloadCertificateFileName</key>
                			<string>%s</string>
                			<key>PayloadContent</key>
                			<data>
                			%s
                			</data>
                			<key>PayloadDescription</key>
                			<string>Adds RoomDeck's local certificate authority</string>
                			<key>PayloadDisplayName</key>
                			<string>%s</string>
                			<key>PayloadIdentifier</key>
                			<string>%s.root</string>
                			<key>PayloadType</key>
                			<string>com.apple.security.root</string>
                			<key>PayloadUUID</key>
                			<string>%s</string>
                			<key>PayloadVersion</key>
                			<integer>1</integer>
                		</dict>
                	</array>
                	<key>PayloadDescription</key>
                	<string>Lets this device trust the meetings of RoomDeck on this PC (HTTPS without a warning). SHA-256 %s</string>
                	<key>PayloadDisplayName</key>
                	<string>%s</string>
                	<key>PayloadIdentifier</key>
                	<string>%s</string>
                	<key>PayloadOrganization</key>
                	<string>RoomDeck</string>
                	<key>PayloadRemovalDisallowed</key>
                	<false/>
                	<key>PayloadType</key>
                	<string>Configuration</string>
                	<key>PayloadUUID</key>
                	<string>%s</string>
                	<key>PayloadVersion</key>
                	<integer>1</integer>
                </dict>
                </plist>
                """.formatted(CRT, data, name, payloadId, uuid(fingerprint, "payload"), CertificateInfo.fingerprint(ca),
                name, payloadId, uuid(fingerprint, "profile"));
    }

    private static String uuid(String fingerprint, String what) {
        return UUID.nameUUIDFromBytes((what + fingerprint).getBytes(StandardCharsets.US_ASCII)).toString().toUpperCase(java.util.Locale.ROOT);
    }

    private static String commonName(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName();
        for (String part : dn.split(",(?=(?:[^\\\\]|\\\\.)*$)")) {
            if (part.startsWith("CN=")) {
                return part.substring(3).replace("\\", "");
            }
        }
        return "RoomDeck local CA";
    }

    static String html(X509Certificate ca) {
        StringBuilder b = new StringBuilder();
        b.append("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Trust RoomDeck on this PC</title>
                <link rel="stylesheet" href="/trust/trust.css">
                </head>
                <body class="trust">
                <main>
                <h1>Trust RoomDeck on this PC</h1>
                """);
        if (ca == null) {
            b.append("""
                    <p>This RoomDeck uses its operator's own certificate: there is nothing to install here. If your
                    browser warns about it, ask the operator.</p>
                    <p><a href="/">Back to the meeting</a></p>
                    """);
        } else {
            b.append("<p>RoomDeck made its own certificate authority, <strong>").append(xml(commonName(ca)))
                    .append("</strong>. Install it once on a device, and every meeting link of this PC opens on HTTPS")
                    .append(" with no warning.</p>\n")
                    .append("<p>Check that what your device shows has this SHA-256 fingerprint:</p>\n")
                    .append("<p class=\"fingerprint\" id=\"fingerprint\">").append(CertificateInfo.fingerprint(ca)).append("</p>\n")
                    .append("<p class=\"downloads\"><a id=\"crt\" href=\"/trust/").append(CRT).append("\">")
                    .append(CRT).append("</a> (Windows, Android, ChromeOS, Linux) · <a id=\"mobileconfig\" href=\"/trust/")
                    .append(MOBILECONFIG).append("\">").append(MOBILECONFIG).append("</a> (iPhone, iPad, Mac)</p>\n");
            b.append("""
                    <h2>Windows</h2>
                    <p>Open roomdeck-ca.crt → <em>Install Certificate…</em> → <em>Local Machine</em> (or Current User)
                    → <em>Place all certificates in the following store</em> → <em>Trusted Root Certification
                    Authorities</em> → Finish. Restart the browser.</p>
                    <h2>macOS</h2>
                    <p>Open roomdeck-ca.mobileconfig, then <em>System Settings → Privacy &amp; Security → Profiles</em>
                    (or <em>General → Device Management</em>) → the RoomDeck profile → <em>Install</em>. Or open
                    roomdeck-ca.crt in Keychain Access, then the certificate → <em>Trust → When using this certificate:
                    Always Trust</em>.</p>
                    <h2>iPhone, iPad</h2>
                    <p>Open this page in Safari and tap roomdeck-ca.mobileconfig → <em>Allow</em>. Then <em>Settings →
                    Profile Downloaded</em> (or <em>General → VPN &amp; Device Management</em>) → <em>Install</em>
                    (the profile shows as not signed: compare the fingerprint). Last, switch it on:
                    <em>Settings → General → About → Certificate Trust Settings</em> → enable full trust for the
                    RoomDeck CA.</p>
                    <h2>Android</h2>
                    <p>Download roomdeck-ca.crt, then <em>Settings → Security (and privacy) → More security settings →
                    Encryption &amp; credentials → Install a certificate → CA certificate</em> → pick the file.</p>
                    <h2>ChromeOS</h2>
                    <p>Download roomdeck-ca.crt, then <em>Settings → Privacy and security → Security → Manage
                    certificates → Authorities → Import</em> → tick <em>Trust this certificate for identifying
                    websites</em>.</p>
                    <h2>Linux, Firefox</h2>
                    <p>Chrome and Chromium: <em>Settings → Privacy and security → Security → Manage certificates →
                    Authorities → Import</em> (or <code>certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n RoomDeck -i
                    roomdeck-ca.crt</code>). Firefox keeps its own list on every system: <em>Settings → Privacy &amp;
                    Security → Certificates → View Certificates → Authorities → Import</em> → tick <em>Trust this CA
                    to identify websites</em>. System-wide on Debian/Ubuntu: copy it to
                    <code>/usr/local/share/ca-certificates/</code> and run <code>update-ca-certificates</code>.</p>
                    <p>Then open the meeting link again: <a href="/">join</a>.</p>
                    """);
        }
        b.append("</main>\n</body>\n</html>\n");
        return b.toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
