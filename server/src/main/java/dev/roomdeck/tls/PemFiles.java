package dev.roomdeck.tls;

import dev.roomdeck.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * PEM certificates and keys as OpenSSL, certbot and most CAs hand them out: certificates ("CERTIFICATE"), keys as
 * PKCS#8 ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with a password), PKCS#1 ("RSA PRIVATE KEY") or SEC1
 * ("EC PRIVATE KEY"), legacy-encrypted or not. Errors name the setting the file came from.
 */
final class PemFiles {
    private PemFiles() {
    }

    /** Every certificate in the file, in file order (server certificate first, then its chain). */
    static List<X509Certificate> certificates(Path file, String setting) {
        List<X509Certificate> out = new ArrayList<>();
        for (Object o : objects(file, setting)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    out.add(new JcaX509CertificateConverter().getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new ConfigException(setting + ": unreadable certificate in " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /** The first private key in the file, or null if it holds none. */
    static PrivateKey privateKey(Path file, String password, String setting, String passwordSetting) {
        for (Object o : objects(file, setting)) {
            try {
                PrivateKeyInfo info = null;
                if (o instanceof PrivateKeyInfo pki) {
                    info = pki;
                } else if (o instanceof PEMKeyPair pair) {
                    info = pair.getPrivateKeyInfo();
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .build(password(password, file, passwordSetting)));
                } else if (o instanceof PEMEncryptedKeyPair encrypted) {
                    info = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                            .build(password(password, file, passwordSetting))).getPrivateKeyInfo();
                }
                if (info != null) {
                    return toJava(info, file, setting);
                }
            } catch (PKCSException | IOException e) {
                throw new ConfigException(passwordSetting + ": cannot decrypt the key in " + file
                        + " (wrong password?)", e);
            } catch (OperatorCreationException e) {
                throw new ConfigException(setting + ": the key in " + file + " is encrypted in a way Java cannot read ("
                        + e.getMessage() + "); decrypt it with openssl pkey", e);
            }
        }
        return null;
    }

    /** The key as PKCS#8 "PRIVATE KEY" PEM, which every tool reads. */
    static String pem(PrivateKey key) {
        return write(new Object[] {key});
    }

    static String pem(List<X509Certificate> chain) {
        return write(chain.toArray());
    }

    private static String write(Object[] objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return text.toString();
    }

    private static PrivateKey toJava(PrivateKeyInfo info, Path file, String setting) throws IOException {
        var algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String name;
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            name = "RSA";
        } else if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            name = "EC";
        } else {
            throw new ConfigException(setting + ": the key in " + file + " is of type " + algorithm
                    + "; browsers accept only RSA or ECDSA (EC) certificates");
        }
        try {
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(setting + ": unreadable " + name + " key in " + file + ": " + e.getMessage(), e);
        }
    }

    private static char[] password(String password, Path file, String passwordSetting) {
        if (password == null) {
            throw new ConfigException(passwordSetting + ": the key in " + file + " is encrypted; its password is needed");
        }
        return password.toCharArray();
    }

    private static List<Object> objects(Path file, String setting) {
        List<Object> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.add(o);
            }
        } catch (IOException e) {
            throw new ConfigException(setting + ": " + file + " is not a readable PEM file: " + e.getMessage(), e);
        }
        return out;
    }
}
