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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server's certificate and key: the operator's own (tlsCertificate) or the one RoomDeck generates for
 * this PC and keeps in {@code <dataDir>/tls/}. Hands Jetty a ready {@link SslContextFactory.Server}. The generated
 * one follows the PC's addresses while the server runs ({@link #refresh()}): re-issued by the same local CA, swapped
 * into Jetty without a restart.
 */
public final class ServerCertificate {
    /** The folder inside the data folder that holds the generated certificate. */
    public static final String FOLDER = "tls";
    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

    /** The certificate served now and what the console shows of it; replaced as a pair by {@link #refresh()}. */
    private record Current(Credentials credentials, CertificateInfo info) {
    }

    private final X509Certificate authority;
    /** The local CA (with its key) that issues refreshed certificates; null with a supplied certificate. */
    private final Credentials ca;
    /** Where the generated certificate is kept; null with a supplied certificate. */
    private final Path folder;
    private final ServerConfig config;
    private final Path file;
    private final Path authorityFile;
    private volatile Current current;
    /** The TLS server sides handed out: a refresh swaps the key store of each. */
    private final List<SslContextFactory.Server> factories = new CopyOnWriteArrayList<>();

    private ServerCertificate(ServerConfig config, Credentials credentials, Credentials ca, Path folder, Path file,
                              Path authorityFile) {
        this.config = config;
        this.ca = ca;
        this.authority = ca == null ? null : ca.certificate();
        this.folder = folder;
        this.file = file;
        this.authorityFile = authorityFile;
        this.current = new Current(credentials, CertificateInfo.of(credentials, authority, file, authorityFile));
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
            ServerCertificate supplied = new ServerCertificate(config, SuppliedCertificate.load(tls), null, null,
                    tls.certificate(), null);
            if (now.isAfter(supplied.info().notAfter())) {
                LOG.warn("tlsCertificate {} expired {}: browsers will refuse it", tls.certificate(), supplied.info().notAfter());
            }
            return supplied;
        }
        Path folder = config.dataDir().resolve(FOLDER);
        try {
            String host = thisPc.dnsNames().stream().filter(n -> !n.equals("localhost") && !n.endsWith(".local"))
                    .findFirst().orElse(thisPc.dnsNames().isEmpty() ? null : thisPc.dnsNames().get(0));
            Credentials ca = LocalCertificateAuthority.ensure(folder, host, now);
            return new ServerCertificate(config, GeneratedCertificate.ensure(folder, thisPc, ca, now), ca, folder,
                    folder.resolve(GeneratedCertificate.CERTIFICATE_FILE),
                    folder.resolve(LocalCertificateAuthority.CERTIFICATE_FILE));
        } catch (UncheckedIOException e) {
            throw new ConfigException("dataDir: " + e.getMessage() + " (" + e.getCause().getMessage() + ")", e);
        }
    }

    /**
     * Follows this PC's names and addresses (see {@link #refresh(CertificateNames, Instant)}) as they are now.
     */
    public boolean refresh() {
        if (ca == null) {
            return false;
        }
        return refresh(CertificateNames.forThisPc(config), Instant.now());
    }

    /**
     * After this PC's addresses changed: when the certificate served no longer covers {@code thisPc} (or nears its
     * end), the same local CA issues a new one, kept in the data folder like the first, and every TLS server side
     * handed out by {@link #sslContextFactory()} serves it from the next handshake on (connections already open keep
     * theirs). Fewer names than the certificate has keep it. A supplied certificate is never touched.
     *
     * @return true when a new certificate is served now
     * @throws UncheckedIOException when the new certificate cannot be kept in the data folder (the old one stays)
     */
    synchronized boolean refresh(CertificateNames thisPc, Instant now) {
        if (ca == null) {
            return false;
        }
        Current was = current;
        Credentials next = GeneratedCertificate.ensure(folder, thisPc, ca, now);
        if (next.certificate().equals(was.credentials().certificate())) {
            return false;
        }
        KeyStoreWithPassword store = keyStore(next);
        Consumer<SslContextFactory> swap = f -> {
            f.setKeyStore(store.store());
            f.setKeyStorePassword(store.password());
            f.setKeyManagerPassword(store.password());
        };
        for (SslContextFactory.Server factory : factories) {
            try {
                if (factory.isStarted()) {
                    factory.reload(swap);
                } else {
                    swap.accept(factory);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot hand the new certificate to the TLS server", e);
            }
        }
        current = new Current(next, CertificateInfo.of(next, authority, file, authorityFile));
        return true;
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

    /** What the certificate served now is valid for, its fingerprint, ...: changes when {@link #refresh()} re-issues it. */
    public CertificateInfo info() {
        return current.info();
    }

    /**
     * RoomDeck's local certificate authority that issued the HTTPS certificate (what devices install from /trust),
     * or empty with a supplied certificate.
     */
    public java.util.Optional<X509Certificate> authority() {
        return java.util.Optional.ofNullable(authority);
    }

    /** The certificate served now (the first of its chain), e.g. for a client that should trust exactly it. */
    public X509Certificate certificate() {
        return current.credentials().certificate();
    }

    /**
     * Jetty's TLS server side with this key and chain; {@link #refresh()} swaps its key store when the certificate is
     * re-issued. SNI is not required and not matched against the certificate: browsers send none for IP-literal URLs
     * like https://192.168.1.20:7443/.
     */
    public synchronized SslContextFactory.Server sslContextFactory() {
        KeyStoreWithPassword store = keyStore(current.credentials());
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(store.store());
        factory.setKeyStorePassword(store.password());
        factory.setKeyManagerPassword(store.password());
        factory.setSniRequired(false);
        factories.add(factory);
        return factory;
    }

    private record KeyStoreWithPassword(KeyStore store, String password) {
    }

    /** An in-memory PKCS#12 store holding the key and chain under a random password. */
    private static KeyStoreWithPassword keyStore(Credentials credentials) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("roomdeck", credentials.key(), password,
                    credentials.chain().toArray(X509Certificate[]::new));
            return new KeyStoreWithPassword(store, new String(password));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hand the certificate to the TLS server", e);
        }
    }
}
