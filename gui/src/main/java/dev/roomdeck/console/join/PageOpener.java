package dev.roomdeck.console.join;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a page on this PC without ever blocking the FX thread: in a Chromium or Chrome app window (no address
 * bar, full screen: what a room display wants) when one is installed, else in the system's browser.
 */
public final class PageOpener {
    private static final Logger LOG = LoggerFactory.getLogger(PageOpener.class);
    private static final List<String> CHROMES = List.of("chromium", "chromium-browser", "google-chrome",
            "google-chrome-stable", "chrome", "chrome.exe", "msedge", "msedge.exe");

    private PageOpener() {
    }

    /**
     * Opens url on a thread of its own; failed (called on that thread) hears why when nothing could open it.
     * Returns at once.
     */
    public static void open(String url, Consumer<String> failed) {
        Thread t = new Thread(() -> {
            try {
                launch(url);
            } catch (Exception | LinkageError e) {
                LOG.warn("could not open {}", url, e);
                failed.accept(String.valueOf(e.getMessage()));
            }
        }, "console-browser");
        t.setDaemon(true);
        t.start();
    }

    private static void launch(String url) throws Exception {
        File chrome = findChrome();
        if (chrome != null) {
            new ProcessBuilder(chrome.getPath(), "--app=" + url, "--start-fullscreen",
                    "--autoplay-policy=no-user-gesture-required")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        List<String> command = new ArrayList<>();
        if (os.contains("win")) {
            command.addAll(List.of("rundll32", "url.dll,FileProtocolHandler", url));
        } else if (os.contains("mac")) {
            command.addAll(List.of("open", url));
        } else {
            command.addAll(List.of("xdg-open", url));
        }
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A Chromium-family browser on the PATH (or macOS's usual place), or null. */
    static File findChrome() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                for (String name : CHROMES) {
                    File f = new File(dir, name);
                    if (f.isFile() && f.canExecute()) {
                        return f;
                    }
                }
            }
        }
        File mac = new File("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
        return mac.canExecute() ? mac : null;
    }

    /** Rings once, cheaply: the desktop's beep when there is a display, nothing when headless. Never blocks. */
    public static void beep() {
        Thread t = new Thread(() -> {
            try {
                // By reflection: the console's runtime need not carry java.desktop for one beep.
                Class<?> ge = Class.forName("java.awt.GraphicsEnvironment");
                if ((Boolean) ge.getMethod("isHeadless").invoke(null)) {
                    return;
                }
                Class<?> tk = Class.forName("java.awt.Toolkit");
                Object toolkit = tk.getMethod("getDefaultToolkit").invoke(null);
                tk.getMethod("beep").invoke(toolkit);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LOG.debug("no beep: {}", e.toString());
            }
        }, "console-beep");
        t.setDaemon(true);
        t.start();
    }
}
