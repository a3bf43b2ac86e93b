package dev.roomdeck.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.tls.TestCertificates;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The frame every real-browser test of the RoomDeck server shares, as a JUnit 5 extension:
 *
 * <pre>{@code
 * @RegisterExtension final BrowserMeeting meeting = new BrowserMeeting();
 *
 * @Test void twoPeopleSeeEachOther() throws Exception {
 *     meeting.startServer();
 *     Browser alice = meeting.join(meeting.page("standup", "alice"));
 *     Browser bob = meeting.join(meeting.page("standup", "bob"));
 *     meeting.awaitDecodes(bob, "alice", 10, Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <p>Registered on a static field ({@code @RegisterExtension static final BrowserMeeting}), it guards once before
 * the class and cleans up after the class instead, for tests that share one browser.
 *
 * <ul>
 *   <li><b>Guard</b>: before each test, skips it unless a browser can run here ({@link
 *       BrowserTests#assumeBrowserCanRun()}: a loopback-only network namespace with Chromium installed), and unless
 *       the test's own conditions ({@link #onlyIf}) hold.</li>
 *   <li><b>Server</b>: {@link #startServer} starts a {@link TestServer} that accepts the bundled page's appkey
 *       ({@code default}), with a config tweak of the test's, when the test chooses.</li>
 *   <li><b>Browsers</b>: {@link #browser} and {@link #browserWithEnvironment} start Chromium with extra flags or
 *       environment.</li>
 *   <li><b>Cleanup</b>: after each test, also a failed one (and after the test class's own {@code @AfterEach}
 *       methods, which may still look at the pages), every browser is closed, then the server, then whatever the
 *       test handed to {@link #closeAfter}, newest first.</li>
 *   <li><b>Pages</b>: {@link #page} builds a bundled-page URL ({@code http} or {@code https}, room, name, user,
 *       extra query); {@link #join} opens it and waits until the page has joined.</li>
 *   <li><b>Waits</b>: {@link #eventually}, {@link #awaitJoined}, {@link #awaitDecodes}.</li>
 * </ul>
 */
public final class BrowserMeeting implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** How long a page may take to join, unless a test says otherwise. */
    public static final Duration JOIN = Duration.ofSeconds(20);
    /** The page has joined its room. */
    public static final String JOINED = "window.roomdeck && window.roomdeck.state === 'joined'";
    /** The page has joined its room and published its camera and microphone. */
    public static final String PUBLISHED = JOINED + " && window.roomdeck.client.published";

    private final List<Map.Entry<BooleanSupplier, String>> conditions = new ArrayList<>();
    private final List<Browser> browsers = new ArrayList<>();
    private final Map<Browser, String> names = new IdentityHashMap<>();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private UnaryOperator<ServerConfig> config;
    private TestServer server;
    private boolean classScoped;

    /** Also skips each test unless {@code condition} holds (e.g. a tool the test needs is installed). */
    public BrowserMeeting onlyIf(BooleanSupplier condition, String otherwise) {
        conditions.add(Map.entry(condition, otherwise));
        return this;
    }

    /** Registered on a static field: guards once and cleans up after the whole class (browsers shared by its tests). */
    @Override
    public void beforeAll(ExtensionContext context) {
        classScoped = true;
        guard();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        closeAll();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!classScoped) {
            guard();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!classScoped) {
            closeAll();
        }
    }

    private void guard() {
        BrowserTests.assumeBrowserCanRun();
        for (Map.Entry<BooleanSupplier, String> c : conditions) {
            assumeTrue(c.getKey().getAsBoolean(), c.getValue());
        }
    }

    private void closeAll() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(browsers);
        all.add(server);
        all.addAll(resources);
        browsers.clear();
        names.clear();
        resources.clear();
        server = null;
        config = null;
        Exception failure = null;
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---- the server

    /** Starts the server: a {@link TestServer} that also accepts the bundled page's appkey. */
    public TestServer startServer() throws Exception {
        return startServer(c -> c);
    }

    /** Starts the server with {@code tweak} applied after the appkey of the bundled page. */
    public TestServer startServer(UnaryOperator<ServerConfig> tweak) throws Exception {
        if (server != null) {
            throw new IllegalStateException("the server is already running");
        }
        UnaryOperator<ServerConfig> full = c -> tweak.apply(c.withAppKeys(Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET)));
        server = TestServer.start(full);
        config = full;
        return server;
    }

    /** The running server. */
    public TestServer server() {
        if (server == null) {
            throw new IllegalStateException("no server: call startServer() first");
        }
        return server;
    }

    /** Stops the server and starts it again with the same config on the same HTTP and media ports. */
    public TestServer restartServer() throws Exception {
        TestServer old = server();
        int httpPort = old.server().httpPort();
        int mediaPort = old.server().mediaPort();
        UnaryOperator<ServerConfig> same = config;
        server = null;
        old.close();
        return startServer(c -> same.apply(c).withPorts(httpPort, mediaPort));
    }

    /** {@code config} serving the web client from {@code root} (e.g. the checkout's assets/web, so edits show at once). */
    public static ServerConfig withWebRoot(ServerConfig c, Path root) {
        return new ServerConfig(c.bind(), c.httpPort(), c.mediaPort(), c.mediaAddresses(), c.announcedAddress(),
                c.dataDir(), root, c.tokenEndpoint(), c.appKeys(), c.tokenTtlSeconds(), c.defaultBitrateKbps(), c.limits());
    }

    /**
     * A flag for Chromium to trust exactly the running server's generated certificate (its key's SPKI hash), as a
     * browser whose user accepted it.
     */
    public String trustServerCertificateFlag() throws Exception {
        byte[] spki = TestCertificates.readPem(server().server().certificate().file()).get(0).getPublicKey().getEncoded();
        return "--ignore-certificate-errors-spki-list="
                + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    }

    /** Closes {@code resource} after the test, after the browsers and the server. */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        resources.push(resource);
        return resource;
    }

    // ---- browsers and pages

    /** Starts a browser with the standard flags plus {@code extraFlags}; closed after the test. */
    public Browser browser(String... extraFlags) {
        guard(); // also here: never a browser outside a loopback-only namespace, whatever ran first
        return keep(Browser.start(extraFlags));
    }

    /** Starts a browser with these environment variables and extra flags (see {@link Browser#startWithEnvironment}). */
    public Browser browserWithEnvironment(Map<String, String> environment, String... extraFlags) {
        guard();
        return keep(Browser.startWithEnvironment(environment, extraFlags));
    }

    private Browser keep(Browser b) {
        browsers.add(b);
        return b;
    }

    /** The browsers started so far, in order. */
    public List<Browser> browsers() {
        return List.copyOf(browsers);
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code pathAndQuery}. */
    public String httpUrl(String pathAndQuery) {
        return "http://127.0.0.1:" + server().server().httpPort() + pathAndQuery;
    }

    /** {@code https://127.0.0.1:<port>} followed by {@code pathAndQuery}. */
    public String httpsUrl(String pathAndQuery) {
        return "https://127.0.0.1:" + server().server().httpsPort() + pathAndQuery;
    }

    /**
     * The bundled page on the running server that joins {@code room} at once as {@code name}, with {@code name}
     * as its user id too (so the other pages key their stats by it); see {@link Page} for the rest.
     */
    public Page page(String room, String name) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("room", room);
        query.put("name", name);
        query.put("user", name);
        query.put("autojoin", "1");
        return new Page(this, false, query);
    }

    /** Opens {@code page} in {@code browser}, which is known by the page's name from now on. */
    public Browser open(Browser browser, Page page) {
        names.put(browser, page.name());
        return browser.open(page.url());
    }

    /** Opens {@code page} in a new browser and waits until it has joined. */
    public Browser join(Page page) throws InterruptedException {
        return join(browser(), page);
    }

    /** Opens {@code page} in {@code browser} and waits until it has joined. */
    public Browser join(Browser browser, Page page) throws InterruptedException {
        open(browser, page);
        awaitJoined(browser, JOIN);
        return browser;
    }

    /** Opens {@code page} in {@code browser} and waits until it has joined and published ({@link #PUBLISHED}). */
    public Browser joinAndPublish(Browser browser, Page page, Duration timeout) {
        open(browser, page);
        browser.waitFor(PUBLISHED, timeout);
        return browser;
    }

    /** The name of the page {@code browser} opened last through this meeting. */
    public String name(Browser browser) {
        return names.getOrDefault(browser, "browser " + (browsers.indexOf(browser) + 1));
    }

    // ---- waits

    /** Polls {@code ok} until it holds; fails naming {@code what} after {@code timeout}. */
    public static void eventually(String what, Duration timeout, BooleanSupplier ok) throws InterruptedException {
        BrowserTests.eventually(what, timeout, ok);
    }

    /** Waits until the page in {@code browser} has joined its room. */
    public void awaitJoined(Browser browser, Duration timeout) throws InterruptedException {
        eventually(name(browser) + " joined", timeout, () -> "joined".equals(browser.roomdeckState()));
    }

    /** Waits until {@code viewer} has decoded more than {@code frames} frames of the video of peer {@code from}. */
    public void awaitDecodes(Browser viewer, String from, long frames, Duration timeout) throws InterruptedException {
        eventually(name(viewer) + " decodes " + from, timeout, () -> viewer.framesDecodedFrom(from) > frames);
    }

    /**
     * A URL of the bundled page: {@code ?room=&name=&user=&autojoin=1} by default, and whatever the test adds.
     * Immutable; {@link #toString()} and {@link #url()} give the URL.
     */
    public static final class Page {
        private final BrowserMeeting meeting;
        private final boolean https;
        private final Map<String, String> query;

        private Page(BrowserMeeting meeting, boolean https, Map<String, String> query) {
            this.meeting = meeting;
            this.https = https;
            this.query = query;
        }

        /** The same page over https:// on the server's HTTPS port (signalling then goes over wss://). */
        public Page https() {
            return new Page(meeting, true, query);
        }

        /** The same page with the user id {@code user}. */
        public Page user(String user) {
            return with("user", user);
        }

        /** The same page without a user id: it joins with the one it keeps in the browser's storage, as people's do. */
        public Page storedUser() {
            return with("user", null);
        }

        /** The same page with the camera at this size, e.g. {@code 320x240}. */
        public Page video(String size) {
            return with("video", size);
        }

        /** The same page with {@code key=value} in its query (or without {@code key} if {@code value} is null). */
        public Page with(String key, String value) {
            Map<String, String> q = new LinkedHashMap<>(query);
            if (value == null) {
                q.remove(key);
            } else {
                q.put(key, value);
            }
            return new Page(meeting, https, q);
        }

        /** The name the page joins with. */
        public String name() {
            return query.get("name");
        }

        public String url() {
            StringBuilder url = new StringBuilder("/");
            String sep = "?";
            for (Map.Entry<String, String> e : query.entrySet()) {
                url.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = "&";
            }
            return https ? meeting.httpsUrl(url.toString()) : meeting.httpUrl(url.toString());
        }

        @Override
        public String toString() {
            return url();
        }
    }
}
