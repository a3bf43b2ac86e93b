package dev.roomdeck.tls;

import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ServerConfig;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server's certificate and key: the operator's own (tlsCertificate) or the one RoomDeck generates for
 * this PC and keeps in {@code <dataDir>/tls/}. Hands Jetty a ready {@link SslContextFactory.Server}.
 */
public final class ServerCertificate {
    /** The folder inside the data folder that holds the generated certificate. */
    public static final String FOLDER = "tls";
    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

    private final Credentials credentials;
    private final X509Certificate authority;
    private final CertificateInfo info;

    private ServerCertificate(Credentials credentials, X509Certificate authority, Path file, Path authorityFile) {
        this.credentials = credentials;
        this.authority = authority;
        this.info = CertificateInfo.of(credentials, authority, file, authorityFile);
    }

    /**
     * The operator's certificate if configured, else the one RoomDeck's local CA issues for this PC (the CA made on
     * the first start, the certificate issued anew as needed).
     */
    public static ServerCertificate forConfig(ServerConfig config) {
        return forConfig(config, CertificateNames.forThisPc(config), Instant.now());
    }

    static ServerCertificate forConfig(ServerConfig config, CertificateNames thisPc, Instant now) {
        ServerConfig.Tls tls = config.tls();
        if (tls.certificate() != null) {
            ServerCertificate supplied = new ServerCertificate(SuppliedCertificate.load(tls), null, tls.certificate(), null);
            if (now.isAfter(supplied.info.notAfter())) {
                LOG.warn("tlsCertificate {} expired {}: browsers will refuse it", tls.certificate(), supplied.info.notAfter());
            }
            return supplied;
        }
        Path folder = config.dataDir().resolve(FOLDER);
        try {
            String host = thisPc.dnsNames().stream().filter(n -> !n.equals("localhost") && !n.endsWith(".local"))
                    .findFirst().orElse(thisPc.dnsNames().isEmpty() ? null : thisPc.dnsNames().get(0));
            Credentials ca = LocalCertificateAuthority.ensure(folder, host, now);
            return new ServerCertificate(GeneratedCertificate.ensure(folder, thisPc, ca, now),
                    ca.certificate(), folder.resolve(GeneratedCertificate.CERTIFICATE_FILE),
                    folder.resolve(LocalCertificateAuthority.CERTIFICATE_FILE));
        } catch (UncheckedIOException e) {
            throw new ConfigException("dataDir: " + e.getMessage() + " (" + e.getCause().getMessage() + ")", e);
        }
    }

    /**
     * Loads an operator's certificate as the server would, without starting anything: a wrong password, a key
     * that is not the certificate's or an unreadable file is refused here with a message naming the setting.
     * Nothing to check for the generated certificate.
     */
    public static void check(ServerConfig.Tls tls) {
        if (tls.certificate() != null) {
            SuppliedCertificate.load(tls);
        }
    }

    public CertificateInfo info() {
        return info;
    }

    /**
     * RoomDeck's local certificate authority that issued the HTTPS certificate (what devices install from /trust),
     * or empty with a supplied certificate.
     */
    public java.util.Optional<X509Certificate> authority() {
        return java.util.Optional.ofNullable(authority);
    }

    /** The certificate itself (the first of its chain), e.g. for a client that should trust exactly it. */
    public X509Certificate certificate() {
        return credentials.certificate();
    }

    /**
     * Jetty's TLS server side with this key and chain. SNI is not required and not matched against the
     * certificate: browsers send none for IP-literal URLs like https://192.168.1.20:7443/.
     */
    public SslContextFactory.Server sslContextFactory() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("roomdeck", credentials.key(), password,
                    credentials.chain().toArray(X509Certificate[]::new));
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setKeyStore(store);
            factory.setKeyStorePassword(new String(password));
            factory.setKeyManagerPassword(new String(password));
            factory.setSniRequired(false);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hand the certificate to the TLS server", e);
        }
    }
}
