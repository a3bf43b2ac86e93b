package dev.roomdeck.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * The /trust page on the plain HTTP port: the CA as .crt (DER) and as an Apple configuration profile, its
 * fingerprint and the steps per platform; with a supplied certificate, no CA to offer.
 */
class TrustPageTest {
    @TempDir
    Path dir;

    private static HttpResponse<byte[]> get(TestServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.http(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void thePageOffersTheCaWithItsFingerprintAndStepsPerPlatform() throws Exception {
        try (TestServer server = TestServer.start()) {
            CertificateInfo info = server.server().certificate();
            HttpResponse<byte[]> page = get(server, "/trust");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("content-security-policy")).isPresent();
            String html = new String(page.body(), StandardCharsets.UTF_8);
            assertThat(html).contains(info.authorityFingerprint(), "/trust/roomdeck-ca.crt",
                    "/trust/roomdeck-ca.mobileconfig", "Windows", "macOS", "iPhone", "Android", "ChromeOS", "Firefox",
                    "Settings → General → About → Certificate Trust Settings")
                    .doesNotContain("<script", "style=");
            assertThat(get(server, "/trust/").statusCode()).isEqualTo(200);
            HttpResponse<byte[]> css = get(server, "/trust/trust.css");
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
            assertThat(css.body()).isNotEmpty();
        }
    }

    @Test
    void theCrtIsTheCaInDerWithTheCaContentType() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<byte[]> crt = get(server, "/trust/roomdeck-ca.crt");
            assertThat(crt.statusCode()).isEqualTo(200);
            assertThat(crt.headers().firstValue("content-type")).contains("application/x-x509-ca-cert");
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(crt.body()));
            assertThat(crt.body()[0]).as("DER, not PEM").isEqualTo((byte) 0x30);
            assertThat(CertificateInfo.fingerprint(ca)).isEqualTo(server.server().certificate().authorityFingerprint());
            assertThat(ca.getBasicConstraints()).isEqualTo(0);
            assertThat(TestCertificates.readPem(server.server().certificate().authorityFile())).containsExactly(ca);
        }
    }

    @Test
    void theMobileconfigIsAWellFormedProfileWithARootPayloadHoldingTheCasDer() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<byte[]> profile = get(server, "/trust/roomdeck-ca.mobileconfig");
            assertThat(profile.statusCode()).isEqualTo(200);
            assertThat(profile.headers().firstValue("content-type")).contains("application/x-apple-aspen-config");

            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            DocumentBuilder parser = factory.newDocumentBuilder();
            Document doc = parser.parse(new InputSource(new ByteArrayInputStream(profile.body())));
            Element plist = doc.getDocumentElement();
            assertThat(plist.getTagName()).isEqualTo("plist");
            assertThat(doc.getDoctype().getPublicId()).isEqualTo("-//Apple//DTD PLIST 1.0//EN");
            Map<String, Object> top = dict(firstElement(plist));
            assertThat(top).containsEntry("PayloadType", "Configuration").containsEntry("PayloadVersion", 1L)
                    .containsKeys("PayloadIdentifier", "PayloadUUID", "PayloadDisplayName");
            assertThat(top.get("PayloadContent")).isInstanceOf(java.util.List.class);
            java.util.List<?> payloads = (java.util.List<?>) top.get("PayloadContent");
            assertThat(payloads).hasSize(1);
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) payloads.get(0);
            assertThat(root).containsEntry("PayloadType", "com.apple.security.root").containsEntry("PayloadVersion", 1L)
                    .containsKeys("PayloadIdentifier", "PayloadUUID");
            assertThat(String.valueOf(root.get("PayloadUUID"))).matches("[0-9A-F]{8}-([0-9A-F]{4}-){3}[0-9A-F]{12}");
            byte[] der = (byte[]) root.get("PayloadContent");
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            assertThat(CertificateInfo.fingerprint(ca)).isEqualTo(server.server().certificate().authorityFingerprint());
        }
    }

    @Test
    void withASuppliedCertificateThereIsNoCaToOffer() throws Exception {
        TestCertificates.Issued issued = TestCertificates.rsaFor127();
        Path p12 = TestCertificates.writePkcs12(issued, dir.resolve("server.p12"), "pw");
        try (TestServer server = TestServer.start(c -> c.withTls(c.tls().withCertificate(p12, null, "pw")))) {
            assertThat(server.server().certificate().mode()).isEqualTo(CertificateInfo.Mode.SUPPLIED);
            HttpResponse<byte[]> page = get(server, "/trust");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("operator's own certificate")
                    .doesNotContain("roomdeck-ca.crt");
            assertThat(get(server, "/trust/roomdeck-ca.crt").statusCode()).isEqualTo(404);
            assertThat(get(server, "/trust/roomdeck-ca.mobileconfig").statusCode()).isEqualTo(404);
        }
    }

    // A minimal property-list reader: dict, array, string, integer, data, true, false.
    private static Element firstElement(Node parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        throw new AssertionError("no element in " + parent.getNodeName());
    }

    private static Map<String, Object> dict(Element dict) {
        assertThat(dict.getTagName()).isEqualTo("dict");
        Map<String, Object> out = new LinkedHashMap<>();
        String key = null;
        for (Node n = dict.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            if (key == null) {
                assertThat(e.getTagName()).isEqualTo("key");
                key = e.getTextContent();
            } else {
                assertThat(out).doesNotContainKey(key);
                out.put(key, value(e));
                key = null;
            }
        }
        assertThat(key).as("every key has a value").isNull();
        return out;
    }

    private static Object value(Element e) {
        return switch (e.getTagName()) {
            case "dict" -> dict(e);
            case "array" -> {
                java.util.List<Object> list = new java.util.ArrayList<>();
                for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element item) {
                        list.add(value(item));
                    }
                }
                yield list;
            }
            case "string" -> e.getTextContent();
            case "integer" -> Long.parseLong(e.getTextContent().trim());
            case "data" -> Base64.getMimeDecoder().decode(e.getTextContent().replaceAll("\\s", ""));
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new AssertionError("not a plist value: " + e.getTagName());
        };
    }
}
