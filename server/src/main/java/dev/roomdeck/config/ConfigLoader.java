package dev.roomdeck.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import java.util.Map;

/** Builds the {@link ServerConfig}: embedded defaults, then the config file, then flags; then validates. */
public final class ConfigLoader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigLoader() {
    }

    public static ServerConfig load(CommandLine flags) {
        ConfigFile file = flags.config == null ? null : readFile(flags.config);
        ServerConfig d = ServerConfig.defaults();
        ServerConfig.Limits l = d.limits();
        Map<String, String> appKeys = new LinkedHashMap<>();
        if (file != null && file.appKeys() != null) {
            appKeys.putAll(file.appKeys());
        }
        if (flags.appKeys != null) {
            appKeys.putAll(flags.appKeys);
        }
        ServerConfig config = new ServerConfig(
                pick(flags.bind, file == null ? null : file.bind(), d.bind()),
                pick(flags.httpPort, file == null ? null : file.httpPort(), d.httpPort()),
                pick(flags.mediaPort, file == null ? null : file.mediaPort(), d.mediaPort()),
                pick(flags.mediaAddresses, file == null ? null : file.mediaAddresses(), d.mediaAddresses()),
                pick(flags.announcedAddress, file == null ? null : file.announcedAddress(), d.announcedAddress()),
                pick(flags.dataDir, file == null || file.dataDir() == null ? null : Path.of(file.dataDir()), d.dataDir()),
                pick(flags.webRoot, file == null || file.webRoot() == null ? null : Path.of(file.webRoot()), d.webRoot()),
                pick(flags.tokenEndpoint, file == null ? null : file.tokenEndpoint(), d.tokenEndpoint()),
                appKeys,
                pick(flags.tokenTtlSeconds, file == null ? null : file.tokenTtlSeconds(), d.tokenTtlSeconds()),
                pick(flags.defaultBitrateKbps, file == null ? null : file.defaultBitrateKbps(), d.defaultBitrateKbps()),
                new ServerConfig.Limits(
                        pick(flags.maxMessageBytes, file == null ? null : file.maxMessageBytes(), l.maxMessageBytes()),
                        pick(flags.maxMessagesPerSecond, file == null ? null : file.maxMessagesPerSecond(), l.maxMessagesPerSecond()),
                        pick(flags.maxPeersPerRoom, file == null ? null : file.maxPeersPerRoom(), l.maxPeersPerRoom()),
                        pick(flags.maxRooms, file == null ? null : file.maxRooms(), l.maxRooms()),
                        pick(flags.offerTimeoutMillis, file == null ? null : file.offerTimeoutMillis(), l.offerTimeoutMillis()),
                        pick(flags.idleTimeoutSeconds, file == null ? null : file.idleTimeoutSeconds(), l.idleTimeoutSeconds())));
        validate(config);
        return config;
    }

    /** Refuses settings that cannot work, naming the setting. */
    public static void validate(ServerConfig c) {
        port("httpPort", c.httpPort());
        port("mediaPort", c.mediaPort());
        if (c.bind() == null || c.bind().isBlank()) {
            throw new ConfigException("bind: an address is required (0.0.0.0 for all interfaces)");
        }
        Addresses.parse("bind", c.bind());
        for (String a : c.mediaAddresses()) {
            Addresses.parse("mediaAddresses", a);
        }
        if (c.announcedAddress() != null) {
            Addresses.parse("announcedAddress", c.announcedAddress());
        }
        c.appKeys().forEach((name, secret) -> {
            if (name.isBlank()) {
                throw new ConfigException("appKeys: an appkey name must not be empty");
            }
            if (secret == null || secret.length() < 32) {
                throw new ConfigException("appKeys: the secret of appkey '" + name
                        + "' must be at least 32 characters (HS256 needs 256 bits)");
            }
        });
        positive("tokenTtlSeconds", c.tokenTtlSeconds());
        positive("defaultBitrateKbps", c.defaultBitrateKbps());
        ServerConfig.Limits l = c.limits();
        if (l.maxMessageBytes() < 4096) {
            throw new ConfigException("maxMessageBytes: must be at least 4096 (an SDP offer needs several KB)");
        }
        positive("maxMessagesPerSecond", l.maxMessagesPerSecond());
        positive("maxPeersPerRoom", l.maxPeersPerRoom());
        positive("maxRooms", l.maxRooms());
        positive("offerTimeoutMillis", l.offerTimeoutMillis());
        positive("idleTimeoutSeconds", l.idleTimeoutSeconds());
    }

    private static ConfigFile readFile(Path path) {
        try {
            return JSON.readValue(Files.readString(path), ConfigFile.class);
        } catch (IOException e) {
            throw new ConfigException("config file " + path + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static <T> T pick(T flag, T file, T fallback) {
        return flag != null ? flag : file != null ? file : fallback;
    }

    private static void port(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new ConfigException(name + ": " + port + " is not a port (0-65535; 0 picks a free one)");
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new ConfigException(name + ": must be greater than 0, was " + value);
        }
    }

}
