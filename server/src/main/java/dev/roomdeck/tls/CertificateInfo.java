package dev.roomdeck.tls;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What the console and the start-up banner show about the HTTPS certificate. In {@link Mode#LOCAL_CA} mode devices
 * trust RoomDeck's own CA once (from the {@value #TRUST_PATH} page, checking {@code authorityFingerprint}); until then
 * people compare the certificate's fingerprint with what their browser shows before they click through.
 *
 * @param fingerprint SHA-256 of the certificate, upper-case hex bytes separated by colons
 * @param names       the host names and IP addresses it is valid for (https URLs must use one of these)
 * @param subject     its subject (browsers show it in their warning)
 * @param keyType     "ECDSA P-256", "RSA 2048", ...
 * @param notBefore   start of validity
 * @param notAfter    end of validity
 * @param generated   true: issued by RoomDeck's local CA for this PC; false: the operator's own
 * @param file        where it is: the generated PEM or the operator's file
 * @param mode        which kind of HTTPS is active: {@link Mode#LOCAL_CA} or {@link Mode#SUPPLIED}
 * @param authorityFingerprint SHA-256 of RoomDeck's local CA (what the trust page shows), null if supplied
 * @param authorityFile        the CA's PEM file in the data folder, null if supplied
 */
public record CertificateInfo(String fingerprint, List<String> names, String subject, String keyType,
                              Instant notBefore, Instant notAfter, boolean generated, Path file,
                              Mode mode, String authorityFingerprint, Path authorityFile) {
    /** The plain-HTTP page (on the HTTP port, also on HTTPS) that offers the local CA to devices. */
    public static final String TRUST_PATH = "/trust";

    /** Which HTTPS certificate the server presents. */
    public enum Mode {
        /** Issued by RoomDeck's own CA for this PC: devices that trust the CA (see /trust) get no warning. */
        LOCAL_CA,
        /** The operator's own certificate (tlsCertificate): no local CA, nothing to install. */
        SUPPLIED
    }

    public CertificateInfo {
        names = List.copyOf(names);
        if (mode == null) {
            mode = generated ? Mode.LOCAL_CA : Mode.SUPPLIED;
        }
    }

    /** Without the CA's details (e.g. for a supplied certificate). */
    public CertificateInfo(String fingerprint, List<String> names, String subject, String keyType, Instant notBefore,
                           Instant notAfter, boolean generated, Path file) {
        this(fingerprint, names, subject, keyType, notBefore, notAfter, generated, file, null, null, null);
    }

    static CertificateInfo of(Credentials credentials, X509Certificate authority, Path file, Path authorityFile) {
        X509Certificate c = credentials.certificate();
        boolean local = authority != null;
        return new CertificateInfo(fingerprint(c), CertificateNames.of(c).all(), c.getSubjectX500Principal().getName(),
                credentials.keyType(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), local, file,
                local ? Mode.LOCAL_CA : Mode.SUPPLIED, local ? fingerprint(authority) : null, local ? authorityFile : null);
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }

    /** Whether an https URL with this host (a name or an IP literal) matches the certificate. */
    public boolean coversHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String name : names) {
            if (name.equals(h)) {
                return true;
            }
            // A wildcard stands for exactly one label: *.example.com covers a.example.com, not a.b.example.com.
            if (name.startsWith("*.")) {
                String suffix = name.substring(1);
                String label = h.endsWith(suffix) ? h.substring(0, h.length() - suffix.length()) : "";
                if (!label.isEmpty() && label.indexOf('.') < 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
