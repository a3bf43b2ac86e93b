package dev.roomdeck.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium driven through Selenium, set up for WebRTC on loopback: fake camera and microphone,
 * loopback ICE candidates allowed, no background traffic, a fresh profile that is deleted on close.
 *
 * <p>Start it only after {@link BrowserTests#assumeBrowserCanRun()}. Both the driver and the browser binary are
 * given explicitly: without them Selenium Manager would try to download a driver from the internet.
 *
 * <p>Every page gets, before its own scripts, a collector of uncaught errors, unhandled promise rejections,
 * failed resource loads, Content-Security-Policy violations and {@code console.error} calls: {@link #pageErrors()}.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** The flags of /work/shared/notes/browser-tests.md, verified on this kind of machine. */
    static final List<String> FLAGS = List.of(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
            "--autoplay-policy=no-user-gesture-required", "--window-size=1280,800");

    private static final String ERROR_COLLECTOR = """
            (() => {
              const errors = [];
              Object.defineProperty(window, '__pageErrors', { value: errors });
              addEventListener('error', e => {
                if (e.target && e.target !== window && (e.target.src || e.target.href)) {
                  errors.push('failed to load ' + (e.target.src || e.target.href));
                } else {
                  errors.push('error: ' + (e.message || e.type) + (e.filename ? ' at ' + e.filename + ':' + e.lineno : ''));
                }
              }, true);
              addEventListener('unhandledrejection', e => errors.push('unhandled rejection: ' + (e.reason && e.reason.stack || e.reason)));
              // What the page's Content-Security-Policy blocked: a page that needs something its policy forbids.
              addEventListener('securitypolicyviolation', e => errors.push('CSP violation: ' + e.effectiveDirective
                  + ' blocked ' + (e.blockedURI || 'inline') + (e.sourceFile ? ' at ' + e.sourceFile + ':' + e.lineNumber : '')), true);
              const consoleError = console.error.bind(console);
              console.error = (...args) => { errors.push('console.error: ' + args.map(String).join(' ')); consoleError(...args); };
            })();
            """;

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private boolean closed;

    private Browser(List<String> extraFlags) {
        this(Map.of(), extraFlags);
    }

    private Browser(Map<String, String> environment, List<String> extraFlags) {
        try {
            profile = Files.createTempDirectory("roomdeck-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService.Builder builder = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(environment); // ChromeDriver starts Chromium with its own environment
        String log = System.getProperty("roomdeck.chromedriver.log");
        if (log != null) {
            builder.withLogFile(new File(log)).withVerbose(true);
        }
        service = builder.build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        options.addArguments(extraFlags);
        ChromeDriver started = null;
        try {
            started = new ChromeDriver(service, options);
            started.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ERROR_COLLECTOR));
            started.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            if (started != null) {
                started.quit();
            }
            service.stop();
            deleteProfile();
            throw e;
        }
        driver = started;
    }

    /** Starts a browser with the standard flags. */
    public static Browser start() {
        return new Browser(List.of());
    }

    /** Starts a browser with the standard flags plus {@code extraFlags} (e.g. a window size). */
    public static Browser start(String... extraFlags) {
        return new Browser(List.of(extraFlags));
    }

    /**
     * Starts a browser with the standard flags plus {@code extraFlags}, and these environment variables for
     * ChromeDriver and so for Chromium; e.g. {@code HOME}, whose {@code .pki/nssdb} is the NSS database of
     * certificate authorities Chromium on Linux trusts besides the system's.
     */
    public static Browser startWithEnvironment(Map<String, String> environment, String... extraFlags) {
        return new Browser(Map.copyOf(environment), List.of(extraFlags));
    }

    /** Runs {@code source} in every page opened from now on, before the page's own scripts. */
    public Browser addInitScript(String source) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
        return this;
    }

    /** Navigates to {@code url} and waits for the document to load. */
    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    /** Runs {@code script} as the body of a function ({@code return ...} gives the result); args are {@code arguments[i]}. */
    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /**
     * Runs an async body: {@code script} is the body of an async function whose result (or thrown error) is
     * returned. Example: {@code jsAsync("return await window.roomdeck.stats()")}.
     */
    public Object jsAsync(String script, Object... args) {
        String wrapper = "const done = arguments[arguments.length - 1];"
                + "const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);"
                + "(async function () { " + script + "\n}).apply(null, args)"
                + ".then(v => done({ ok: v === undefined ? null : v }),"
                + " e => done({ error: String(e && e.stack || e) }));";
        Object out = ((JavascriptExecutor) driver).executeAsyncScript(wrapper, args);
        if (!(out instanceof Map<?, ?> result)) {
            throw new IllegalStateException("unexpected async script result: " + out);
        }
        if (result.containsKey("error")) {
            throw new PageScriptException(String.valueOf(result.get("error")));
        }
        return result.get("ok");
    }

    /** Frames this page decoded so far of the video from peer {@code peerId} (0 before any). */
    public long framesDecodedFrom(String peerId) {
        return number(peerStats(peerId), "framesDecoded");
    }

    /** What {@code window.roomdeck.stats()} says of the remote peer {@code peerId} (empty before any). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> peerStats(String peerId) {
        Map<String, Object> peers = (Map<String, Object>) roomdeckStats().get("peers");
        Object p = peers == null ? null : peers.get(peerId);
        return p == null ? Map.of() : (Map<String, Object>) p;
    }

    /** The page's selected ICE candidate pair, {@code local} and {@code remote} (empty before there is one). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> selectedPair() {
        Object pair = roomdeckStats().get("selectedPair");
        return pair == null ? Map.of() : (Map<String, Object>) pair;
    }

    /** {@code stats.get(key)} as a long (0 when it is not a number). */
    public static long number(Map<String, Object> stats, String key) {
        return stats != null && stats.get(key) instanceof Number n ? n.longValue() : 0;
    }

    /** Notes the URL of every WebSocket the pages opened from now on open: {@link #webSockets()}. */
    public Browser recordWebSockets() {
        return addInitScript("window.__sockets = []; window.WebSocket = new Proxy(window.WebSocket, {"
                + " construct(target, args) { window.__sockets.push(String(args[0])); return new target(...args); } });");
    }

    /** The URLs of the WebSockets the current page opened (after {@link #recordWebSockets()}). */
    public Object webSockets() {
        return js("return window.__sockets");
    }

    /** {@code window.roomdeck.stats()} of the RoomDeck client page, as JSON-like maps and lists. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> roomdeckStats() {
        return (Map<String, Object>) jsAsync("return await window.roomdeck.stats()");
    }

    /** {@code window.roomdeck.state} of the RoomDeck client page. */
    public String roomdeckState() {
        return String.valueOf(js("return window.roomdeck ? window.roomdeck.state : null"));
    }

    /** Waits until the JS expression {@code condition} is truthy, or throws with the page's errors. */
    public void waitFor(String condition, Duration timeout) {
        try {
            new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                    .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return !!(" + condition + ")")));
        } catch (TimeoutException e) {
            throw new TimeoutException("waited " + timeout + " for: " + condition + "; page errors: " + pageErrors(), e);
        }
    }

    /** What the collector saw on the current page: uncaught errors, rejections, failed loads, CSP violations, console.error. */
    public List<String> pageErrors() {
        Object errors = js("return window.__pageErrors ? Array.from(window.__pageErrors) : ['no error collector on this page']");
        List<String> out = new ArrayList<>();
        if (errors instanceof List<?> list) {
            list.forEach(e -> out.add(String.valueOf(e)));
        }
        return out;
    }

    /** A PNG of the viewport, e.g. to keep beside a failing test's report. */
    public byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    /** The underlying driver, for anything this class does not wrap. */
    public ChromeDriver driver() {
        return driver;
    }

    /** Quits the browser and deletes its profile; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp profile is harmless.
        }
    }

    /** An error thrown inside a script run by {@link #jsAsync}. */
    public static final class PageScriptException extends RuntimeException {
        PageScriptException(String message) {
            super(message);
        }
    }
}
