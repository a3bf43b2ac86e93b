package dev.roomdeck.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Guards for tests that start a real browser. Chromium talks to every interface it can see and looks up Google
 * hosts at start, so a browser test may only run inside a network namespace whose only live link is loopback:
 * {@code unshare -rn sh -c 'ip link set lo up; mvn -o ...'}. Outside such a namespace these tests are skipped.
 */
public final class BrowserTests {
    private BrowserTests() {}

    /** Polls {@code ok} until it holds; fails naming {@code what} after {@code timeout}. */
    public static void eventually(String what, java.time.Duration timeout, java.util.function.BooleanSupplier ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Skips the calling test unless every network interface that is up is a loopback interface. */
    public static void assumeLoopbackOnly() {
        List<String> others = nonLoopbackInterfacesUp();
        assumeTrue(others.isEmpty(), () -> "browser tests run only in a loopback-only network namespace; up: " + others);
    }

    /** Skips the calling test unless Debian's Chromium and ChromeDriver are installed. */
    public static void assumeChromiumInstalled() {
        assumeTrue(Files.isExecutable(Browser.CHROMIUM) && Files.isExecutable(Browser.CHROMEDRIVER),
                () -> "needs " + Browser.CHROMIUM + " and " + Browser.CHROMEDRIVER);
    }

    /** Both guards: what every browser test calls first (in {@code @BeforeAll} or at the top of the test). */
    public static void assumeBrowserCanRun() {
        assumeLoopbackOnly();
        assumeChromiumInstalled();
    }

    /** Names of the interfaces that are up and not loopback; empty inside {@code unshare -n} after {@code ip link set lo up}. */
    public static List<String> nonLoopbackInterfacesUp() {
        List<String> up = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    up.add(nic.getName());
                }
            }
        } catch (SocketException e) {
            // If we cannot tell, we must not start a browser.
            up.add("unknown (" + e.getMessage() + ")");
        }
        return up;
    }

    /** The top-level assets/web folder of the checkout (tests run with the server module as working directory). */
    public static Path webAssets() {
        for (Path p : List.of(Path.of("../assets/web"), Path.of("assets/web"))) {
            if (Files.isRegularFile(p.resolve("index.html"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("assets/web not found from " + Path.of("").toAbsolutePath());
    }
}
