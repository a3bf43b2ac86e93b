package dev.roomdeck.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.config.ServerConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS certificate follows this PC's addresses while the server runs: new names → a new certificate from the
 * same local CA, served by the running Jetty from the next handshake on; a supplied certificate is never touched.
 */
class CertificateRefreshTest {
    private static final CertificateNames NAMES =
            new CertificateNames(List.of("roompc", "localhost"), List.of("127.0.0.1", "192.168.1.20"));
    private static final CertificateNames MOVED =
            new CertificateNames(List.of("roompc", "localhost"), List.of("127.0.0.1", "10.77.0.9"));

    @TempDir
    Path dataDir;
    private Server jetty;

    private ServerConfig config() {
        return ServerConfig.defaults().withBind("127.0.0.1").withPorts(0, 0).withDataDir(dataDir);
    }

    /** A bare Jetty with the certificate's TLS server side on 127.0.0.1; returns the port. */
    private int serve(ServerCertificate certificate) throws Exception {
        jetty = new Server();
        ServerConnector https = new ServerConnector(jetty,
                new SslConnectionFactory(certificate.sslContextFactory(), "http/1.1"), new HttpConnectionFactory());
        https.setHost("127.0.0.1");
        https.setPort(0);
        jetty.addConnector(https);
        jetty.start();
        return https.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    /** A fresh TLS client (no session to resume) trusting only {@code ca}: the certificate the server presents. */
    private static SSLSocket handshake(int port, X509Certificate ca) throws Exception {
        SSLSocket socket = (SSLSocket) TestCertificates.trusting(ca).getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    private static X509Certificate presented(int port, X509Certificate ca) throws Exception {
        try (SSLSocket socket = handshake(port, ca)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static String statusLine(SSLSocket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        return text.lines().findFirst().orElse("");
    }

    @Test
    void newNamesGetANewCertificateFromTheSameCaThatTheRunningJettyServes() throws Exception {
        Instant now = Instant.now();
        ServerCertificate certificate = ServerCertificate.forConfig(config(), NAMES, now);
        X509Certificate ca = certificate.authority().orElseThrow();
        X509Certificate first = certificate.certificate();
        CertificateInfo firstInfo = certificate.info();
        int port = serve(certificate);
        assertThat(presented(port, ca).getSerialNumber()).isEqualTo(first.getSerialNumber());
        SSLSocket openBefore = handshake(port, ca);

        assertThat(certificate.refresh(MOVED, now.plusSeconds(60))).isTrue();

        X509Certificate second = certificate.certificate();
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(GeneratedCertificate.issuedBy(second, ca)).as("issued by the same CA").isTrue();
        assertThat(certificate.authority()).contains(ca);
        assertThat(CertificateNames.of(second).ipAddresses()).contains("10.77.0.9");
        CertificateInfo info = certificate.info();
        assertThat(info.names()).contains("10.77.0.9").doesNotContain("192.168.1.20");
        assertThat(info.fingerprint()).isEqualTo(CertificateInfo.fingerprint(second)).isNotEqualTo(firstInfo.fingerprint());
        assertThat(info.authorityFingerprint()).isEqualTo(firstInfo.authorityFingerprint());
        assertThat(info.file()).isEqualTo(firstInfo.file());
        // Kept in the data folder like the first: the next start serves it again.
        assertThat(TestCertificates.readPem(info.file())).containsExactly(second, ca);
        assertThat(ServerCertificate.forConfig(config(), MOVED, now.plusSeconds(120)).certificate()).isEqualTo(second);

        // The running Jetty presents it from the next handshake on; a connection made before keeps working.
        X509Certificate served = presented(port, ca);
        assertThat(served.getSerialNumber()).isEqualTo(second.getSerialNumber());
        assertThat(served).isEqualTo(second);
        try (openBefore) {
            assertThat(((X509Certificate) openBefore.getSession().getPeerCertificates()[0]).getSerialNumber())
                    .isEqualTo(first.getSerialNumber());
            assertThat(statusLine(openBefore)).startsWith("HTTP/1.1 ");
        }
    }

    @Test
    void namesTheCertificateAlreadyCoversKeepIt() throws Exception {
        Instant now = Instant.now();
        ServerCertificate certificate = ServerCertificate.forConfig(config(), NAMES, now);
        X509Certificate first = certificate.certificate();
        int port = serve(certificate);

        // An interface went down: fewer names. And the same names again: nothing to do.
        assertThat(certificate.refresh(new CertificateNames(List.of("localhost"), List.of("127.0.0.1")), now)).isFalse();
        assertThat(certificate.refresh(NAMES, now)).isFalse();
        assertThat(certificate.certificate()).isEqualTo(first);
        assertThat(presented(port, certificate.authority().orElseThrow())).isEqualTo(first);
    }

    @Test
    void aSuppliedCertificateIsNeverTouched() throws Exception {
        TestCertificates.Issued issued = TestCertificates.rsaFor127();
        Path p12 = TestCertificates.writePkcs12(issued, dataDir.resolve("server.p12"), "s3cret");
        ServerConfig config = config();
        config = config.withTls(config.tls().withCertificate(p12, null, "s3cret"));
        ServerCertificate certificate = ServerCertificate.forConfig(config, NAMES, Instant.now());
        int port = serve(certificate);

        assertThat(certificate.refresh(MOVED, Instant.now())).isFalse();
        assertThat(certificate.refresh()).isFalse();
        assertThat(certificate.certificate()).isEqualTo(issued.certificate());
        assertThat(certificate.info().fingerprint()).isEqualTo(CertificateInfo.fingerprint(issued.certificate()));
        assertThat(presented(port, issued.certificate())).isEqualTo(issued.certificate());
        assertThat(Files.exists(dataDir.resolve(ServerCertificate.FOLDER))).as("nothing generated").isFalse();
    }
}
