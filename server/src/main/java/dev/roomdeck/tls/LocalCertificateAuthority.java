package dev.roomdeck.tls;

import dev.roomdeck.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RoomDeck's own root certificate authority for this PC, made once on first start and kept in
 * {@code <dataDir>/tls/} as {@value #CERTIFICATE_FILE} (PEM; what devices install, also offered at /trust) and
 * {@value #KEY_FILE} (PEM PKCS#8, owner-only). It signs the HTTPS certificate, which is re-issued whenever this PC's
 * names or addresses change; the CA itself stays, so a device that trusts it once trusts every later HTTPS
 * certificate. ECDSA P-256, valid {@value #VALIDITY_YEARS} years, CA:true with pathlen 0 (it signs server
 * certificates only, no intermediates), key usage keyCertSign and cRLSign. Deleting both files makes a new CA on the
 * next start (devices must then trust the new one).
 */
final class LocalCertificateAuthority {
    static final String CERTIFICATE_FILE = "roomdeck-ca.crt";
    static final String KEY_FILE = "roomdeck-ca.key";
    static final int VALIDITY_YEARS = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(LocalCertificateAuthority.class);

    private LocalCertificateAuthority() {
    }

    /**
     * The kept CA, or a new one if there is none, it cannot be read, or it ends within
     * {@link GeneratedCertificate#RENEW_BEFORE} (after ten years: devices must then trust the new one).
     */
    static Credentials ensure(Path folder, String hostName, Instant now) {
        Path certificateFile = folder.resolve(CERTIFICATE_FILE);
        Path keyFile = folder.resolve(KEY_FILE);
        String why = "none kept yet";
        if (Files.exists(certificateFile) || Files.exists(keyFile)) {
            try {
                Credentials kept = read(certificateFile, keyFile);
                Instant notAfter = kept.certificate().getNotAfter().toInstant();
                if (kept.certificate().getBasicConstraints() < 0) {
                    why = "the kept one is not a CA";
                } else if (now.plus(GeneratedCertificate.RENEW_BEFORE).isAfter(notAfter)) {
                    why = "the kept one expires " + notAfter;
                } else {
                    return kept;
                }
            } catch (ConfigException | IllegalArgumentException e) {
                why = "the kept one is unreadable (" + e.getMessage() + ")";
            }
        }
        Credentials made = generate(hostName, now);
        try {
            Files.createDirectories(folder);
            // The key first, so that a certificate on disk always has its key beside it.
            GeneratedCertificate.replace(folder, keyFile, PemFiles.pem(made.key()), true);
            GeneratedCertificate.replace(folder, certificateFile, PemFiles.pem(made.chain()), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep RoomDeck's certificate authority in " + folder, e);
        }
        LOG.info("local certificate authority made ({}): {}, SHA-256 {}", why,
                made.certificate().getSubjectX500Principal().getName(), CertificateInfo.fingerprint(made.certificate()));
        return made;
    }

    static Credentials generate(String hostName, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();
            // Devices list trusted CAs by name: say whose it is and on which PC.
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, "RoomDeck local CA (" + (hostName == null ? "this PC" : hostName) + ")")
                    .addRDN(BCStyle.O, "RoomDeck")
                    .build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(365L * VALIDITY_YEARS + 2))), subject, pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new Credentials(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot make RoomDeck's certificate authority", e);
        }
    }

    private static Credentials read(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile, "local CA certificate");
        PrivateKey key = PemFiles.privateKey(keyFile, null, "local CA key", "local CA key");
        if (chain.isEmpty() || key == null) {
            throw new IllegalArgumentException("no certificate or key");
        }
        Credentials credentials = new Credentials(key, chain.subList(0, 1));
        credentials.checkKeyMatches("local CA key");
        return credentials;
    }
}
