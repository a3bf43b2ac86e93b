package dev.roomdeck.sdp;

import java.io.File;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven through ChromeDriver, for proving that the SDP the server writes is accepted by a
 * browser. Only usable inside a network namespace that has nothing but loopback (see {@link #usable()}).
 */
final class Chromium implements AutoCloseable {
    static final String BINARY = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path profile;

    /** True when Chromium and its driver are installed and every network interface that is up is loopback. */
    static boolean usable() {
        if (!new File(BINARY).canExecute() || !new File(DRIVER).canExecute()) {
            return false;
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp() && !nif.isLoopback()) {
                    return false;
                }
            }
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    Chromium() throws IOException {
        profile = Files.createTempDirectory("roomdeck-sdp-chromium");
        Path page = profile.resolve("page.html");
        Files.writeString(page, "<!doctype html><title>sdp</title><script>window.log=[];</script>");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--user-data-dir=" + profile.resolve("profile"), "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection",
                "--disable-features=WebRtcHideLocalIpsWithMdns", "--autoplay-policy=no-user-gesture-required"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.get(page.toUri().toString());
    }

    /**
     * Runs {@code body} as the inside of an async function and returns what it returns. A thrown error comes back
     * as the string "ERROR: message".
     */
    Object run(String body, Object... args) {
        String script = "const done = arguments[arguments.length - 1];"
                + "const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);"
                + "(async (args) => {" + body + "})(args).then(done, e => done('ERROR: ' + (e && e.message || e)));";
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    String text(String body, Object... args) {
        Object result = run(body, args);
        return result == null ? null : result.toString();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(profile)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
