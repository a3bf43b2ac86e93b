package dev.roomdeck.config;

import java.nio.file.Path;
import java.util.Locale;

/** Where an application keeps its data, by each OS's own convention. */
public final class DataDirs {
    private DataDirs() {
    }

    public static Path defaultDataDir() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String home = System.getProperty("user.home", ".");
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return Path.of(appData != null ? appData : home, "RoomDeck");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "RoomDeck");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve("roomdeck");
    }
}
