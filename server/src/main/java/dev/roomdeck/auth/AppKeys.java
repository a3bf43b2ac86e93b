package dev.roomdeck.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The appkeys this server accepts and their HS256 secrets. Secrets given in the configuration win; the
 * {@code default} appkey otherwise gets a random secret made on first run and kept in the data folder
 * ({@code appkeys.json}, readable by the owner only), so tokens stay valid across restarts.
 */
public final class AppKeys {
    static final String FILE = "appkeys.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, byte[]> secrets;

    private AppKeys(Map<String, byte[]> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    public static AppKeys load(Map<String, String> configured, Path dataDir, String defaultAppKey) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        configured.forEach((k, v) -> out.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (!out.containsKey(defaultAppKey)) {
            out.put(defaultAppKey, storedSecret(dataDir, defaultAppKey).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new AppKeys(out);
    }

    public Optional<byte[]> secret(String appKey) {
        return Optional.ofNullable(secrets.get(appKey));
    }

    private static String storedSecret(Path dataDir, String appKey) {
        Path file = dataDir.resolve(FILE);
        try {
            Map<String, String> stored = new LinkedHashMap<>();
            if (Files.exists(file)) {
                stored.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }));
            }
            String secret = stored.get(appKey);
            if (secret != null && secret.length() >= 32) {
                return secret;
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            stored.put(appKey, secret);
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, "appkeys", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the per-user data folder is already private.
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), stored);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the appkey secret in " + file, e);
        }
    }
}
