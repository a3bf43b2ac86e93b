package dev.roomdeck.console.view;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How figures read in the console: short, unit-bearing, the same everywhere. */
public final class Formats {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Formats() {
    }

    /** 0, 850 kbit/s, 1.25 Mbit/s. */
    public static String bitrate(long bps) {
        if (bps <= 0) {
            return "0";
        }
        if (bps < 1000) {
            return bps + " bit/s";
        }
        if (bps < 1_000_000) {
            return String.format(Locale.ROOT, "%d kbit/s", Math.round(bps / 1000.0));
        }
        return String.format(Locale.ROOT, "%.2f Mbit/s", bps / 1_000_000.0);
    }

    /** 45 s, 12:03, 1:02:03. */
    public static String duration(long seconds) {
        if (seconds < 0) {
            seconds = 0;
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    public static String percent(double value) {
        return value < 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", value);
    }

    /** –  (not measured: negative), 0.4 ms, 12 ms: loopback and LAN round trips are well under a millisecond. */
    public static String millis(double value) {
        if (value < 0) {
            return "–";
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f ms" : "%.0f ms", value);
    }

    /** How long something took that is not over yet (negative): "not yet"; 35 ms; 1.2 s; 14 s. */
    public static String took(long millis) {
        if (millis < 0) {
            return "not yet";
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }

    public static String megabytes(long bytes) {
        return bytes < 0 ? "–" : (bytes / (1024 * 1024)) + " MB";
    }

    /** Local wall-clock time of an instant, for the events pane. */
    public static String clock(Instant t) {
        return LocalTime.ofInstant(t, ZoneId.systemDefault()).format(CLOCK);
    }
}
