package dev.roomdeck.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * The self-signed ECDSA P-256 certificate this process shows in every DTLS handshake. Made once per run; peers
 * trust it only through the fingerprint in the SDP, so subject and validity do not matter (browsers ignore them).
 */
public final class DtlsCertificate {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = fingerprint("sha-256", der);
    }

    public static DtlsCertificate generate() {
        try {
            // Named-curve parameters so the key encodes as the P-256 OID (browsers reject explicit curves).
            ECNamedDomainParameters curve = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1,
                    ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1));
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(curve, RANDOM));
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();

            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic());
            X500Name name = new X500Name("CN=roomdeck");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(63, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
                    name, publicKey);
            AlgorithmIdentifier signatureAlgorithm = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digestAlgorithm = new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
            byte[] der = builder.build(new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm)
                    .build(pair.getPrivate())).getEncoded();
            return new DtlsCertificate(der, pair.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the DTLS certificate", e);
        }
    }

    public String fingerprintAlgorithm() {
        return "sha-256";
    }

    /** Upper-case hex pairs joined by colons, as in {@code a=fingerprint:sha-256 AB:CD:...}. */
    public String fingerprint() {
        return fingerprint;
    }

    byte[] der() {
        return der.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** Fingerprint of a DER certificate with an SDP hash name ("sha-256", "sha-1", ...). */
    static String fingerprint(String sdpAlgorithm, byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance(digestName(sdpAlgorithm)).digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported fingerprint algorithm " + sdpAlgorithm, e);
        }
    }

    /** Same fingerprint, ignoring case and surrounding blanks (SDP writers differ on case). */
    static boolean sameFingerprint(String a, String b) {
        return a.trim().equalsIgnoreCase(b.trim());
    }

    /** Maps the SDP (RFC 8122) hash name to the JCA name; rejects anything else. */
    static String digestName(String sdpAlgorithm) {
        return switch (sdpAlgorithm.trim().toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported fingerprint algorithm " + sdpAlgorithm);
        };
    }
}
