package dev.roomdeck.tls;

import dev.roomdeck.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS certificate RoomDeck issues for itself from its {@link LocalCertificateAuthority}, kept in
 * {@code <dataDir>/tls/} as {@value #CERTIFICATE_FILE} (PEM: the certificate, then the CA) and {@value #KEY_FILE}
 * (PEM, owner-readable only). Kept across runs; issued anew only when it is missing or unreadable, was not issued
 * by the current CA (e.g. a self-signed one of an older RoomDeck), expires within {@link #RENEW_BEFORE}, or no longer
 * covers every name and address of this PC. Devices that trust the CA accept every one of them.
 */
final class GeneratedCertificate {
    static final String CERTIFICATE_FILE = "roomdeck.crt";
    static final String KEY_FILE = "roomdeck.key";
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Logger LOG = LoggerFactory.getLogger(GeneratedCertificate.class);

    private GeneratedCertificate() {
    }

    static Credentials ensure(Path folder, CertificateNames wanted, Credentials ca, Instant now) {
        Path certificateFile = folder.resolve(CERTIFICATE_FILE);
        Path keyFile = folder.resolve(KEY_FILE);
        String why = "none kept yet";
        if (Files.exists(certificateFile) || Files.exists(keyFile)) {
            try {
                Credentials kept = read(certificateFile, keyFile);
                why = reasonToRenew(kept.certificate(), wanted, now);
                if (why == null && !issuedBy(kept.certificate(), ca.certificate())) {
                    why = "the kept one was not issued by the local CA";
                }
                if (why == null) {
                    return new Credentials(kept.key(), List.of(kept.certificate(), ca.certificate()));
                }
            } catch (ConfigException | IllegalArgumentException e) {
                why = "the kept one is unreadable (" + e.getMessage() + ")";
            }
        }
        Credentials made = IssuedCertificate.issue(wanted, ca, now);
        write(folder, certificateFile, keyFile, made);
        LOG.info("HTTPS certificate issued by the local CA ({}): for {}, SHA-256 {}", why, wanted.all(),
                CertificateInfo.fingerprint(made.certificate()));
        return made;
    }

    /** Null if the certificate is still good for these names at this time; else why not. */
    static String reasonToRenew(X509Certificate certificate, CertificateNames wanted, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.plus(RENEW_BEFORE).isAfter(notAfter)) {
            return "the kept one expires " + notAfter;
        }
        CertificateNames has = CertificateNames.of(certificate);
        if (!has.covers(wanted)) {
            List<String> missing = wanted.all().stream().filter(n -> !has.all().contains(n)).toList();
            return "this PC's names or addresses changed: " + missing + " not in the kept one";
        }
        return null;
    }

    /** Whether {@code ca} signed {@code certificate}. */
    static boolean issuedBy(X509Certificate certificate, X509Certificate ca) {
        if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static Credentials read(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile, "generated certificate");
        PrivateKey key = PemFiles.privateKey(keyFile, null, "generated key", "generated key");
        if (chain.isEmpty() || key == null) {
            throw new IllegalArgumentException("no certificate or key");
        }
        Credentials credentials = new Credentials(key, chain);
        credentials.checkKeyMatches("generated key");
        return credentials;
    }

    private static void write(Path folder, Path certificateFile, Path keyFile, Credentials credentials) {
        try {
            Files.createDirectories(folder);
            // The key first, so that a certificate on disk always has its key beside it.
            replace(folder, keyFile, PemFiles.pem(credentials.key()), true);
            replace(folder, certificateFile, PemFiles.pem(credentials.chain()), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the HTTPS certificate in " + folder, e);
        }
    }

    static void replace(Path folder, Path file, String text, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(folder, file.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the per-user data folder is already private.
            }
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
