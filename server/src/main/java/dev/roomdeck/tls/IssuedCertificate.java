package dev.roomdeck.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the HTTPS certificate for this PC, issued by RoomDeck's {@link LocalCertificateAuthority}: ECDSA P-256
 * (every current browser accepts it; keys and handshakes are small and fast), SHA-256 signature, valid
 * {@value #VALIDITY_DAYS} days (browsers and Apple's platforms refuse server certificates valid for more than 398
 * days), a server certificate only (not a CA, extended key usage serverAuth) for this PC's names and addresses.
 */
final class IssuedCertificate {
    static final int VALIDITY_DAYS = 397;
    private static final SecureRandom RANDOM = new SecureRandom();

    private IssuedCertificate() {
    }

    /** A new key and certificate for {@code names}, signed by {@code ca}; the chain is the certificate, then the CA. */
    static Credentials issue(CertificateNames names, Credentials ca, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();

            // Browsers show the subject in their certificate viewer: say what this is and on which PC.
            String host = names.dnsNames().isEmpty() ? "this PC" : names.dnsNames().get(0);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, "RoomDeck on " + host)
                    .addRDN(BCStyle.O, "RoomDeck")
                    .build();
            X509Certificate issuer = ca.certificate();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    // An hour back: a client whose clock is a little behind still accepts it.
                    Date.from(now.minus(Duration.ofHours(1))), notAfter(now, issuer),
                    subject, pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuer));
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(names));

            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key())));
            return new Credentials(pair.getPrivate(), List.of(certificate, issuer));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot issue the HTTPS certificate", e);
        }
    }

    /** {@value #VALIDITY_DAYS} days, but never past the CA's own end (a chain is only as valid as its CA). */
    private static Date notAfter(Instant now, X509Certificate ca) {
        Instant wanted = now.plus(Duration.ofDays(VALIDITY_DAYS));
        Instant caEnd = ca.getNotAfter().toInstant();
        return Date.from(wanted.isAfter(caEnd) ? caEnd : wanted);
    }

    private static GeneralNames subjectAlternativeNames(CertificateNames names) {
        List<GeneralName> out = new ArrayList<>();
        for (String dns : names.dnsNames()) {
            out.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : names.ipAddresses()) {
            out.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        return new GeneralNames(out.toArray(GeneralName[]::new));
    }
}
