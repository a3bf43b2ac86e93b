package dev.roomdeck.tls;

import dev.roomdeck.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.List;

/**
 * A private key and its certificate chain (the server's own certificate first): what a TLS server presents.
 *
 * @param key   the private key of the first certificate
 * @param chain the certificate, then any intermediates (and possibly the root)
 */
record Credentials(PrivateKey key, List<X509Certificate> chain) {
    Credentials {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    X509Certificate certificate() {
        return chain.get(0);
    }

    /** Browsers take ECDSA and RSA certificates; anything else (Ed25519, DSA) they refuse. */
    String keyType() {
        if (key instanceof ECKey ec) {
            return "ECDSA P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        return key.getAlgorithm();
    }

    /** Refuses a key that is not the certificate's (a common mix-up with several PEM files), naming the setting. */
    void checkKeyMatches(String keySetting) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new ConfigException(keySetting + ": a " + key.getAlgorithm()
                    + " key; browsers accept only RSA or ECDSA (EC) certificates");
        };
        try {
            byte[] probe = "roomdeck key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate().getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new ConfigException(keySetting + ": the private key does not belong to the certificate ("
                        + certificate().getSubjectX500Principal().getName() + ")");
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(keySetting + ": the private key does not belong to the certificate ("
                    + e.getMessage() + ")", e);
        }
    }
}
