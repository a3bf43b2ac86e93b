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
 * What the console and the start-up banner show about the HTTPS certificate. People compare the fingerprint with
 * what their browser shows (certificate viewer → SHA-256 fingerprint) before they accept a self-signed one.
 *
 * @param fingerprint SHA-256 of the certificate, upper-case hex bytes separated by colons
 * @param names       the host names and IP addresses it is valid for (https URLs must use one of these)
 * @param subject     its subject (browsers show it in their warning)
 * @param keyType     "ECDSA P-256", "RSA 2048", ...
 * @param notBefore   start of validity
 * @param notAfter    end of validity
 * @param generated   true: made by RoomDeck, self-signed (browsers warn once); false: the operator's own
 * @param file        where it is: the generated PEM (to install on devices) or the operator's file
 */
public record CertificateInfo(String fingerprint, List<String> names, String subject, String keyType,
                              Instant notBefore, Instant notAfter, boolean generated, Path file) {
    public CertificateInfo {
        names = List.copyOf(names);
    }

    static CertificateInfo of(Credentials credentials, boolean generated, Path file) {
        X509Certificate c = credentials.certificate();
        return new CertificateInfo(fingerprint(c), CertificateNames.of(c).all(), c.getSubjectX500Principal().getName(),
                credentials.keyType(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), generated, file);
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
