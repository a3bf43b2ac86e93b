package dev.roomdeck.tls;

import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The operator's own certificate: a PKCS#12 file (.p12/.pfx, with its password) or PEM files (certificate chain,
 * and the key in tlsKey or in the same file). Every problem becomes a {@link ConfigException} naming the setting.
 */
final class SuppliedCertificate {
    private SuppliedCertificate() {
    }

    static Credentials load(ServerConfig.Tls tls) {
        Path file = tls.certificate();
        Credentials credentials = isPkcs12(file) ? pkcs12(file, tls.password()) : pem(file, tls.key(), tls.password());
        credentials.checkKeyMatches(tls.key() != null ? "tlsKey" : "tlsCertificate");
        return credentials;
    }

    /** By name, or by content: PEM is text starting with "-----", PKCS#12 is DER (starts with a SEQUENCE, 0x30). */
    private static boolean isPkcs12(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x30;
        } catch (IOException e) {
            throw new ConfigException("tlsCertificate: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Credentials pkcs12(Path file, String password) {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ConfigException("tlsPassword: wrong password for the PKCS#12 file " + file, e);
            }
            throw new ConfigException("tlsCertificate: " + file + " is not a readable PKCS#12 file: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tlsCertificate: " + file + " is not a readable PKCS#12 file: " + e.getMessage(), e);
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key;
                try {
                    key = store.getKey(alias, secret);
                } catch (UnrecoverableKeyException e) {
                    throw new ConfigException("tlsPassword: the key in " + file + " has another password than the file", e);
                }
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                    List<X509Certificate> certificates = new ArrayList<>();
                    for (Certificate c : chain) {
                        certificates.add((X509Certificate) c);
                    }
                    return new Credentials(privateKey, certificates);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tlsCertificate: cannot read the key in " + file + ": " + e.getMessage(), e);
        }
        throw new ConfigException("tlsCertificate: " + file + " holds no private key with its certificate");
    }

    private static Credentials pem(Path certificateFile, Path keyFile, String password) {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile, "tlsCertificate");
        if (chain.isEmpty()) {
            throw new ConfigException("tlsCertificate: " + certificateFile + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        Path from = keyFile != null ? keyFile : certificateFile;
        String setting = keyFile != null ? "tlsKey" : "tlsCertificate";
        PrivateKey key = PemFiles.privateKey(from, password, setting, "tlsPassword");
        if (key == null) {
            throw new ConfigException(keyFile != null
                    ? "tlsKey: " + keyFile + " holds no PEM private key"
                    : "tlsKey: needed for the PEM certificate " + certificateFile + " (it holds no private key itself)");
        }
        return new Credentials(key, chain);
    }
}
