package dev.roomdeck.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ConfigFile;
import dev.roomdeck.config.ConfigLoader;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.tls.ServerCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The console's settings, kept as the JSON config file ({@link ConfigFile}, the format {@code --config} reads) in
 * the data folder: {@code <dataDir>/roomdeck.json}, which the server reads at start when no {@code --config} is
 * given. Saving validates first: a bad setting is refused with a message naming it, and the file stays as it was.
 * The file holds appkey secrets and the certificate password, so only its owner can read it.
 */
public final class SettingsStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ConfigFile EMPTY = ConfigFile.empty();

    private final Path file;
    private final CommandLine base;

    private SettingsStore(Path file, CommandLine base) {
        this.file = file;
        this.base = base;
    }

    /** The settings file in this data folder. */
    public static SettingsStore in(Path dataDir) {
        CommandLine base = new CommandLine();
        base.dataDir = dataDir;
        return new SettingsStore(ConfigLoader.storedFile(dataDir), base);
    }

    /** The file the server read its settings from at start: --config if given, else the data folder's. */
    public static SettingsStore forFlags(CommandLine flags) {
        CommandLine base = new CommandLine();
        base.dataDir = flags.dataDir;
        Path dataDir = flags.dataDir != null ? flags.dataDir : ServerConfig.defaults().dataDir();
        return new SettingsStore(flags.config != null ? flags.config : ConfigLoader.storedFile(dataDir), base);
    }

    public Path file() {
        return file;
    }

    /** The file's content (every key, also those the console does not edit); all unset when there is no file. */
    public ConfigFile read() {
        return Files.exists(file) ? ConfigLoader.readFile(file) : EMPTY;
    }

    /** The saved configuration: embedded defaults, then the file. Without the start-up flags. */
    public ServerConfig config() {
        return ConfigLoader.fromFile(read(), base);
    }

    /** The saved settings as the console shows them (defaults where the file says nothing). */
    public Settings settings() {
        return Settings.of(config());
    }

    /**
     * Validates these settings together with the rest of the file and writes them; returns the configuration they
     * make (defaults, then the file). Refused with a {@link ConfigException} naming the setting (a port out of
     * range, an address that is not one, a short appkey secret, a certificate that does not load with its key
     * and password): then the file is left exactly as it was.
     */
    public ServerConfig save(Settings settings) {
        ConfigFile next = settings.over(read());
        ServerConfig config = ConfigLoader.fromFile(next, base);
        ServerCertificate.check(config.tls());
        write(next);
        return config;
    }

    /** Puts back a file's exact former content (after new settings could not start a server). */
    void restore(byte[] previous) {
        try {
            if (previous == null) {
                Files.deleteIfExists(file);
            } else {
                replace(previous);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot restore the settings file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's bytes now, or null if there is none. */
    byte[] snapshot() {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new ConfigException("cannot read the settings file " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(ConfigFile content) {
        try {
            replace(JSON.writeValueAsBytes(content));
        } catch (IOException e) {
            throw new ConfigException("cannot save the settings to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Write beside, then rename over: a crash mid-write never leaves a half file. */
    private void replace(byte[] bytes) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path tmp = Files.createTempFile(folder, file.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the per-user data folder is already private.
            }
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
