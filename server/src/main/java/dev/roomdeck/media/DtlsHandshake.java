package dev.roomdeck.media;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One DTLS 1.2 handshake for DTLS-SRTP (RFC 5764): both sides present certificates, each checks the other's
 * against the SDP fingerprint, use_srtp picks the profile, the exporter yields the SRTP master keys.
 * Runs on the transport's own thread; the DatagramTransport underneath reads the ICE socket.
 */
final class DtlsHandshake {
    static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());

    /** Our certificate is ECDSA, so only ECDHE_ECDSA suites can work; browsers offer all of these. */
    private static final int[] CIPHER_SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 20_000;

    /** Outcome of a successful handshake; the transport stays open for alerts and retransmissions. */
    record Result(DTLSTransport transport, SrtpProfile profile, byte[] keyingMaterial) {
    }

    private final DtlsCertificate certificate;
    private final String remoteFingerprintAlgorithm;
    private final String remoteFingerprint;

    private volatile boolean fingerprintMismatch;
    private volatile boolean peerClosed;
    private SrtpProfile profile;
    private byte[] keyingMaterial;

    DtlsHandshake(DtlsCertificate certificate, String remoteFingerprintAlgorithm, String remoteFingerprint) {
        this.certificate = certificate;
        this.remoteFingerprintAlgorithm = remoteFingerprintAlgorithm;
        this.remoteFingerprint = remoteFingerprint;
    }

    Result runAsServer(DatagramTransport transport) throws IOException {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        // No cookie round trip (HelloVerifyRequest): ICE already proved the peer owns its address.
        protocol.setVerifyRequests(false);
        DTLSTransport dtls = protocol.accept(new Server(), transport);
        return new Result(dtls, profile, keyingMaterial);
    }

    Result runAsClient(DatagramTransport transport) throws IOException {
        DTLSTransport dtls = new DTLSClientProtocol().connect(new Client(), transport);
        return new Result(dtls, profile, keyingMaterial);
    }

    /** The handshake failed because the remote certificate is not the one the SDP announced. */
    boolean fingerprintMismatch() {
        return fingerprintMismatch;
    }

    /** The peer sent close_notify (e.g. the browser closed its PeerConnection). */
    boolean peerClosed() {
        return peerClosed;
    }

    private void checkPeerCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        String actual = DtlsCertificate.fingerprint(remoteFingerprintAlgorithm, chain.getCertificateAt(0).getEncoded());
        if (!DtlsCertificate.sameFingerprint(actual, remoteFingerprint)) {
            fingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate fingerprint differs from the SDP");
        }
    }

    /** ECDSA/SHA-256 credentials from a certificate, for the handshake in {@code context}. */
    static TlsCredentialedSigner signer(DtlsCertificate certificate, TlsContext context) throws IOException {
        TlsCertificate own = CRYPTO.createCertificate(certificate.der());
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), CRYPTO, certificate.privateKey(),
                new Certificate(new TlsCertificate[] {own}),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    private void exportKeys(TlsContext context) {
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
    }

    private void noteAlert(short description) {
        if (description == AlertDescription.close_notify) {
            peerClosed = true;
        }
    }

    private final class Server extends DefaultTlsServer {
        Server() {
            super(CRYPTO);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return signer(certificate, context);
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            // Client certificate is mandatory: its fingerprint is the peer's identity.
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                    TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            checkPeerCertificate(clientCertificate);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offered == null) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "client offered no use_srtp");
            }
            for (SrtpProfile candidate : SrtpProfile.values()) {
                for (int id : offered.getProtectionProfiles()) {
                    if (id == candidate.tlsId) {
                        profile = candidate;
                        return;
                    }
                }
            }
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getServerExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile.tlsId}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            exportKeys(context);
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            noteAlert(alertDescription);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return HANDSHAKE_TIMEOUT_MILLIS;
        }
    }

    private final class Client extends DefaultTlsClient {
        Client() {
            super(CRYPTO);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(SrtpProfile.tlsIds(), TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (chosen == null || chosen.getProtectionProfiles().length != 1) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server must choose one SRTP profile");
            }
            profile = SrtpProfile.byTlsId(chosen.getProtectionProfiles()[0]);
            if (profile == null) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose an SRTP profile we did not offer");
            }
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    checkPeerCertificate(serverCertificate.getCertificate());
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    return signer(certificate, context);
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            exportKeys(context);
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            noteAlert(alertDescription);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return HANDSHAKE_TIMEOUT_MILLIS;
        }
    }
}
