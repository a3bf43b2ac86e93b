package dev.roomdeck.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS port serves what the HTTP port serves (web client, /health, /api/generateToken, /ws as wss://), with
 * the generated certificate or the operator's. Clients trust exactly that certificate and check the host name
 * against its names, as a browser does once the certificate is trusted.
 */
class HttpsEndpointTest {
    @TempDir
    Path dir;

    private static URI https(TestServer server, String host, String path) {
        return URI.create("https://" + host + ":" + server.server().httpsPort() + path);
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Joins a room over wss:// trusting only this certificate; returns the 'joined' reply. */
    private static JsonNode joinOverWss(TestServer server, X509Certificate trusted) throws Exception {
        try (WssClient c = WssClient.connect(URI.create("wss://127.0.0.1:" + server.server().httpsPort() + "/ws"),
                TestCertificates.jettyTrusting(trusted))) {
            c.send("join", server.joinData("r1", "alice", TestServer.emptyOffer()));
            return c.await("joined", TestServer.WAIT);
        }
    }

    @Test
    void withTheGeneratedCertificateTheWebClientHealthTokensAndWssWork() throws Exception {
        try (TestServer server = TestServer.start()) {
            int httpsPort = server.server().httpsPort();
            assertThat(httpsPort).isPositive().isNotEqualTo(server.server().httpPort());
            // Trust what people would install: the PEM file in the data folder.
            CertificateInfo info = server.server().certificate();
            X509Certificate trusted = TestCertificates.readPem(info.file()).get(0);
            HttpClient http = HttpClient.newBuilder().sslContext(TestCertificates.trusting(trusted)).build();

            HttpResponse<String> page = get(http, https(server, "127.0.0.1", "/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("<title>RoomDeck");
            X509Certificate presented = (X509Certificate) page.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(CertificateInfo.fingerprint(presented)).isEqualTo(info.fingerprint());

            // The DNS name in the certificate works too (host name checked against its names).
            assertThat(get(http, https(server, "localhost", "/health")).statusCode()).isEqualTo(200);
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(https(server, "127.0.0.1", "/api/generateToken"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"appkey\":\"test\",\"room\":\"r1\",\"user\":\"a\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(TestServer.json(token.body()).at("/d/token").asText()).isNotEmpty();

            assertThat(joinOverWss(server, trusted).path("type").asText()).isEqualTo("joined");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
        try (TestServer server = TestServer.start()) {
            X509Certificate stranger = TestCertificates.rsaFor127().certificate();
            HttpClient http = HttpClient.newBuilder().sslContext(TestCertificates.trusting(stranger)).build();
            assertThatThrownBy(() -> get(http, https(server, "127.0.0.1", "/health")))
                    .isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> joinOverWss(server, stranger)).hasStackTraceContaining("SSLHandshakeException");
        }
    }

    @Test
    void withASuppliedPkcs12Certificate() throws Exception {
        TestCertificates.Issued issued = TestCertificates.rsaFor127();
        Path p12 = TestCertificates.writePkcs12(issued, dir.resolve("server.p12"), "pass-word");
        servesAndJoinsWith(issued.certificate(), c -> c.withTls(c.tls().withCertificate(p12, null, "pass-word")));
    }

    @Test
    void withASuppliedPemCertificateAndKey() throws Exception {
        TestCertificates.Issued issued = TestCertificates.rsaFor127();
        Path crt = TestCertificates.writePemCertificate(issued, dir.resolve("server.crt"));
        Path key = TestCertificates.writePemKey(issued.keys(), dir.resolve("server.key"));
        servesAndJoinsWith(issued.certificate(), c -> c.withTls(c.tls().withCertificate(crt, key, null)));
    }

    private void servesAndJoinsWith(X509Certificate supplied, UnaryOperator<ServerConfig> tweak) throws Exception {
        try (TestServer server = TestServer.start(tweak)) {
            assertThat(server.server().certificate().generated()).isFalse();
            assertThat(server.server().certificate().fingerprint()).isEqualTo(CertificateInfo.fingerprint(supplied));
            HttpClient http = HttpClient.newBuilder().sslContext(TestCertificates.trusting(supplied)).build();
            HttpResponse<String> page = get(http, https(server, "127.0.0.1", "/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("<title>RoomDeck");
            assertThat(joinOverWss(server, supplied).path("type").asText()).isEqualTo("joined");
        }
    }

    @Test
    void plainHttpStaysForThisPcAndIsNotRedirected() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpClient http = HttpClient.newHttpClient(); // follows no redirects
            HttpResponse<String> page = get(http, server.http("/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("<title>RoomDeck");
            assertThat(get(http, server.http("/health")).statusCode()).isEqualTo(200);
            assertThat(List.of(server.server().httpPort(), server.server().httpsPort())).doesNotHaveDuplicates();
        }
    }
}
