package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.junit.jupiter.api.Test;

/** The DTLS-SRTP handshake alone, in memory; a plain Bouncy Castle client stands in for odd peers. */
class DtlsHandshakeTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();

    @Test
    void bothSidesAgreeOnAesCmAndTheSameKeys() throws Exception {
        MemoryDatagrams wire = new MemoryDatagrams();
        DtlsHandshake server = new DtlsHandshake(SERVER_CERT, "sha-256", CLIENT_CERT.fingerprint());
        DtlsHandshake client = new DtlsHandshake(CLIENT_CERT, "sha-256", SERVER_CERT.fingerprint());
        CompletableFuture<DtlsHandshake.Result> atServer = async(() -> server.runAsServer(wire.left));
        DtlsHandshake.Result atClient = client.runAsClient(wire.right);
        DtlsHandshake.Result serverResult = atServer.get(10, TimeUnit.SECONDS);

        assertThat(atClient.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        assertThat(serverResult.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        assertThat(atClient.keyingMaterial()).hasSize(60).isEqualTo(serverResult.keyingMaterial());
    }

    @Test
    void aPeerOfferingOnlyGcmGetsGcm() throws Exception {
        MemoryDatagrams wire = new MemoryDatagrams();
        DtlsHandshake server = new DtlsHandshake(SERVER_CERT, "sha-256", CLIENT_CERT.fingerprint());
        CompletableFuture<DtlsHandshake.Result> atServer = async(() -> server.runAsServer(wire.left));
        PlainClient client = new PlainClient(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM}, true);
        new DTLSClientProtocol().connect(client, wire.right);

        DtlsHandshake.Result result = atServer.get(10, TimeUnit.SECONDS);
        assertThat(result.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(result.keyingMaterial()).hasSize(56).isEqualTo(client.keyingMaterial);
    }

    @Test
    void aClientWithoutCertificateIsRefused() throws Exception {
        MemoryDatagrams wire = new MemoryDatagrams();
        DtlsHandshake server = new DtlsHandshake(SERVER_CERT, "sha-256", CLIENT_CERT.fingerprint());
        CompletableFuture<DtlsHandshake.Result> atServer = async(() -> server.runAsServer(wire.left));
        PlainClient anonymous = new PlainClient(SrtpProfile.tlsIds(), false);

        assertThatThrownBy(() -> new DTLSClientProtocol().connect(anonymous, wire.right))
                .isInstanceOf(TlsFatalAlertReceived.class);
        assertThatThrownBy(() -> atServer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TlsFatalAlert.class);
        assertThat(server.fingerprintMismatch()).isFalse();
    }

    @Test
    void aClientWithoutUseSrtpIsRefused() throws Exception {
        MemoryDatagrams wire = new MemoryDatagrams();
        DtlsHandshake server = new DtlsHandshake(SERVER_CERT, "sha-256", CLIENT_CERT.fingerprint());
        CompletableFuture<DtlsHandshake.Result> atServer = async(() -> server.runAsServer(wire.left));

        assertThatThrownBy(() -> new DTLSClientProtocol().connect(new PlainClient(null, true), wire.right))
                .isInstanceOf(TlsFatalAlertReceived.class)
                .satisfies(e -> assertThat(((TlsFatalAlertReceived) e).getAlertDescription())
                        .isEqualTo(AlertDescription.handshake_failure));
        assertThatThrownBy(() -> atServer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TlsFatalAlert.class);
    }

    @Test
    void theClientChecksTheServerFingerprintToo() throws Exception {
        MemoryDatagrams wire = new MemoryDatagrams();
        DtlsHandshake server = new DtlsHandshake(SERVER_CERT, "sha-256", CLIENT_CERT.fingerprint());
        DtlsHandshake client = new DtlsHandshake(CLIENT_CERT, "sha-256", CLIENT_CERT.fingerprint()); // wrong one
        CompletableFuture<DtlsHandshake.Result> atServer = async(() -> server.runAsServer(wire.left));

        assertThatThrownBy(() -> client.runAsClient(wire.right)).isInstanceOf(TlsFatalAlert.class);
        assertThat(client.fingerprintMismatch()).isTrue();
        assertThatThrownBy(() -> atServer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TlsFatalAlertReceived.class);
    }

    private interface Handshake {
        DtlsHandshake.Result run() throws IOException;
    }

    private static CompletableFuture<DtlsHandshake.Result> async(Handshake handshake) {
        CompletableFuture<DtlsHandshake.Result> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(handshake.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-dtls-server");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** A bare Bouncy Castle DTLS client: chosen use_srtp profiles (null: no extension), certificate or none. */
    private static final class PlainClient extends DefaultTlsClient {
        private final int[] profiles;
        private final boolean withCertificate;
        byte[] keyingMaterial;

        PlainClient(int[] profiles, boolean withCertificate) {
            super(DtlsHandshake.CRYPTO);
            this.profiles = profiles;
            this.withCertificate = withCertificate;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            if (profiles != null) {
                TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(profiles, TlsUtils.EMPTY_BYTES));
            }
            return extensions;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    if (!withCertificate) {
                        return null;
                    }
                    return DtlsHandshake.signer(CLIENT_CERT, context);
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            // Two keys and two salts: 2 x (16 + 12) for AES-GCM, 2 x (16 + 14) for AES-CM.
            int length = profiles[0] == SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM ? 56 : 60;
            keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
        }
    }
}
