package dev.roomdeck.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomdeck.Launcher;
import dev.roomdeck.TestServer;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.browser.Meeting.Driver;
import dev.roomdeck.browser.Meeting.ServerLog;
import dev.roomdeck.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Apps written on the original RTCEngine JavaScript SDK (RTCEngine-js-sdk at commit 8b4af07, unchanged, in
 * ../shared/rtcengine-js-sdk) meeting people on RoomDeck's own web page, in real Chromium pages.
 *
 * <p>Set-up, shared by the scenarios of one test class: the SDK bundled for the browser from its unchanged source
 * (server/src/test/node/rtcengine/build.js: esbuild, IIFE, its runtime dependencies at the versions its own
 * package-lock.json pins, checked package by package); a {@link TestServer} that serves the checkout's assets/web; the
 * SDK's app page (server/src/test/node/rtcengine/page, written from the SDK's example/index.html) on a
 * {@link StaticSite} of its own, so on another origin than RoomDeck as an app is; one headless Chromium driven by
 * server/src/test/node/browsers.js, every page in a browser context of its own.
 *
 * <p>An SDK page joins as the example does, on load: {@code generateTestToken} against RoomDeck's
 * /api/generateToken (cross-origin), {@code joinRoom(token)} (the SDK reads wsUrl and iceServers from the token and
 * connects with socket.io-client 2.1.1, long-polling first), then {@code addStream} of camera and microphone once
 * connected. A bundled page joins through its own join form, as {@link Meeting} does.
 *
 * <p>{@link Scenario#step} runs one thing that happens and then waits, up to {@link #LIMIT}, until every page in the
 * room decodes every other page's video and receives its audio: on an SDK page, in the SDK's own RTCPeerConnection
 * (its page cannot show remote video at this commit: its ontrack reads {@code event.stream}), an inbound video track
 * of that person's stream (the msid the server's SDP gives its mid) whose {@code framesDecoded} rises and an inbound
 * audio track whose {@code packetsReceived} rises; on a bundled page, that person's tile as {@link Meeting} checks it
 * (data-state live or camera-off, data-audio on or muted, name, msid, moving video, audio packets). Also: no
 * {@code error} event from the server on an SDK page (the SDK takes it for a lost connection), no new error on a
 * bundled page, the operator's view of the room listing exactly the people in it, each muted as they are. A step that
 * is not green is recorded with everything that tells why (per page: the SDK's state, its token's claims, the
 * Socket.IO transport, the signalling messages it sent and received, its RTCPeerConnection, what it decodes, what it
 * logged; the server's new warnings), and the scenario goes on, so that one run reports every step.
 */
final class RtcEngineSdkMeeting implements AutoCloseable {
    /** Every page decodes every other page's video and receives its audio within this time after each step. */
    static final Duration LIMIT = Duration.ofSeconds(15);
    /** A step that missed the limit is watched this long in all, to tell "late" from "never". */
    static final Duration WATCH = Duration.ofSeconds(20);
    /** The appkey the pages ask tokens for (the bundled page's too). */
    static final String APPKEY = ServerConfig.DEFAULT_APPKEY;
    /** Where the SDK is looked for, from the checkout (CI lays shared/ beside it); -Droomdeck.rtcengineSdk=DIR overrides. */
    static final List<String> SDK_PLACES = List.of("../shared/rtcengine-js-sdk", "../../shared/rtcengine-js-sdk",
            "/work/shared/rtcengine-js-sdk");

    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------ guards and set-up

    /** The SDK's folder (with lib/index.js, package.json, package-lock.json), or null when it is not there. */
    static Path sdkFolder() {
        String given = System.getProperty("roomdeck.rtcengineSdk");
        List<String> places = given != null ? List.of(given) : SDK_PLACES;
        for (String p : places) {
            Path dir = Path.of(p).toAbsolutePath().normalize();
            if (Files.isRegularFile(dir.resolve("lib/index.js")) && Files.isRegularFile(dir.resolve("package-lock.json"))) {
                return dir;
            }
        }
        return null;
    }

    /** server/src/test/node/rtcengine: build.js, the page, the SDK's dependencies and esbuild. */
    static Path project() {
        return Meeting.nodeProject().resolve("rtcengine");
    }

    /**
     * Skips unless browsers may run here (loopback-only namespace, Chromium, Node, puppeteer-core: {@link Meeting}'s
     * guard), the original SDK is there, and its dependencies and esbuild are installed (.ci/test's npm ci).
     */
    static void assumeCanRun() {
        Meeting.assumeCanRun(Meeting.Engine.CHROMIUM);
        assumeTrue(sdkFolder() != null, () -> "the original RTCEngine JavaScript SDK is not there (looked for "
                + (System.getProperty("roomdeck.rtcengineSdk") != null ? System.getProperty("roomdeck.rtcengineSdk")
                : String.join(" and ", SDK_PLACES) + " from " + Path.of("").toAbsolutePath())
                + "/lib/index.js; -Droomdeck.rtcengineSdk=DIR names another folder): nothing to test it with");
        assumeTrue(Files.isRegularFile(project().resolve("node_modules/esbuild/package.json"))
                        && Files.isRegularFile(project().resolve("node_modules/socket.io-client/package.json")),
                "the SDK's dependencies and esbuild are not installed: run npm ci in server/src/test/node/rtcengine (.ci/test does)");
    }

    private final TestServer server;
    private final ServerLog log;
    private final Driver driver;
    private final StaticSite app;
    private final String bundleSummary;
    private int pageCount;

    private RtcEngineSdkMeeting(TestServer server, ServerLog log, Driver driver, StaticSite app, String bundleSummary) {
        this.server = server;
        this.log = log;
        this.driver = driver;
        this.app = app;
        this.bundleSummary = bundleSummary;
    }

    /** Bundles the SDK, starts the server (its log captured from here on), the app's site and one Chromium. */
    static RtcEngineSdkMeeting start() throws Exception {
        Path sdk = sdkFolder();
        Path bundle = Path.of("target", "rtcengine-sdk", "rtcengine-js-sdk.js").toAbsolutePath();
        long t0 = System.nanoTime();
        JsonNode built = bundle(sdk, bundle);
        String summary = String.format(Locale.ROOT, "bundled %s (lib sha256 %s…) with esbuild %s in %.1f s: %d bytes, %d packages, each at "
                        + "the version the SDK's package-lock.json pins: %s%s", sdk, built.path("sdkLibSha256").asText().substring(0, 12),
                built.path("esbuild").asText(), (System.nanoTime() - t0) / 1e9, built.path("bytes").asLong(),
                built.path("packages").size(), texts(built.path("packages"), ", "),
                built.path("warnings").isEmpty() ? "" : "; esbuild's warnings about the SDK's own code: " + texts(built.path("warnings"), "; "));
        say(summary);

        Launcher.installLogging();
        ServerLog log = ServerLog.attach();
        TestServer server = null;
        Driver driver = null;
        StaticSite app = null;
        try {
            server = TestServer.start(c -> servingCheckout(c.withAppKeys(Map.of(APPKEY, TestServer.SECRET))));
            app = StaticSite.serve(project().resolve("page"),
                    Map.of("/rtcengine-js-sdk.js", Files.readString(bundle, StandardCharsets.UTF_8),
                            "/favicon.ico", "")); // the browser asks for one: no 404 in the page's console
            driver = Driver.start();
            JsonNode v = driver.call(Meeting.Engine.CHROMIUM.launch());
            driver.browserPids.add(v.path("pid").asLong(0));
            say("started " + v.path("version").asText() + "; RoomDeck at http://127.0.0.1:" + server.server().httpPort()
                    + ", the SDK's app page at " + app.baseUrl() + " (another origin)");
            return new RtcEngineSdkMeeting(server, log, driver, app, summary);
        } catch (Exception | Error e) {
            if (driver != null) {
                driver.close();
            }
            if (app != null) {
                app.close();
            }
            if (server != null) {
                server.close();
            }
            log.detach();
            throw e;
        }
    }

    /** Runs build.js; a bundle that is not the SDK with its own dependencies fails here, with build.js's reason. */
    private static JsonNode bundle(Path sdk, Path out) throws IOException, InterruptedException {
        Path err = Files.createTempFile("rtcengine-bundle", ".err");
        try {
            Process p = new ProcessBuilder("node", "build.js", "--sdk", sdk.toString(), "--out", out.toString())
                    .directory(project().toFile()).redirectError(err.toFile()).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("bundling the RTCEngine SDK took more than 120 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("the RTCEngine SDK could not be bundled (server/src/test/node/rtcengine/build.js, exit "
                        + p.exitValue() + "):\n" + Files.readString(err) + stdout);
            }
            return JSON.readTree(stdout.lines().reduce((a, b) -> b).orElse("{}"));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static ServerConfig servingCheckout(ServerConfig c) {
        return new ServerConfig(c.bind(), c.httpPort(), c.mediaPort(), c.mediaAddresses(), c.announcedAddress(),
                c.dataDir(), BrowserTests.webAssets(), c.tokenEndpoint(), c.appKeys(), c.tokenTtlSeconds(),
                c.defaultBitrateKbps(), c.limits(), c.tls());
    }

    String bundleSummary() {
        return bundleSummary;
    }

    /** A new scenario in its own room: its own pages, steps and logs (target/rtcengine-sdk-logs/NAME). */
    Scenario scenario(String name, String room) throws IOException {
        return new Scenario(this, name, room);
    }

    @Override
    public void close() throws Exception {
        try {
            driver.close();
        } finally {
            try {
                app.close();
                server.close();
            } finally {
                log.detach();
            }
        }
    }

    // ------------------------------------------------------------------ pages

    enum Kind {
        SDK("SDK page"), BUNDLED("bundled page");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** NEW: not opened (SDK) or opened but not joined (bundled); JOINED: the person joined (so everyone should see them). */
    enum Status { NEW, JOINED, GONE }

    /** One person with one page (one browser context). */
    static final class Page {
        final String label;
        final String name;
        final Kind kind;
        /** The user id: given for an SDK page, read from a bundled page's own tile. */
        volatile String user;
        /** The stream this page publishes (SDK: its RTCStream's id; bundled: its own tile's data-msid); null for none yet. */
        volatile String msid;
        boolean publishes;
        boolean camera = true;
        boolean mic = true;
        Status status = Status.NEW;
        /**
         * The last probe's answer; the errors the server sent it (SDK page: `error` events; bundled page:
         * window.roomdeck.errors) and its page errors, as counted before this step.
         */
        JsonNode last;
        int errorsBefore;
        int pageErrorsBefore;

        private Page(String label, String name, Kind kind, String user, boolean publishes) {
            this.label = label;
            this.name = name;
            this.kind = kind;
            this.user = user;
            this.publishes = publishes;
        }

        /** What a bundled page shows as this person's name: the name they gave, or (an SDK viewer gives none) the id. */
        String shownName() {
            return kind == Kind.SDK && !publishes ? user : name;
        }

        @Override
        public String toString() {
            return name + " (" + kind.text + " " + label + (user == null ? "" : ", user " + user) + ")";
        }
    }

    /** One scenario: a room, its pages, and one result per step. */
    static final class Scenario implements AutoCloseable {
        private final RtcEngineSdkMeeting m;
        private final String name;
        private final String room;
        private final Path logDir;
        private final List<Page> pages = new ArrayList<>();
        private final List<StepResult> results = new ArrayList<>();
        private final long startedNanos = System.nanoTime();
        private long serverErrorsBefore;
        private int serverLinesBefore;

        private Scenario(RtcEngineSdkMeeting m, String name, String room) throws IOException {
            this.m = m;
            this.name = name;
            this.room = room;
            this.logDir = Path.of("target", "rtcengine-sdk-logs", name).toAbsolutePath();
            Meeting.keepEarlierRun(logDir); // a rerun after a failure keeps the failing run's pages and server log
            Files.createDirectories(logDir);
            say("scenario " + name + " in room '" + room + "' (page logs: " + logDir + ")");
        }

        /** A person on the SDK's app page, which publishes camera and microphone once it is in the room (the example). */
        Page sdkPage(String person) {
            return add(new Page("s" + m.pageCount, person, Kind.SDK, "sdk-" + person.toLowerCase(Locale.ROOT) + "-" + m.pageCount++, true));
        }

        /** A person on the SDK's app page who joins without publishing (a viewer, until {@link #publish}). */
        Page sdkViewer(String person) {
            return add(new Page("s" + m.pageCount, person, Kind.SDK, "sdk-" + person.toLowerCase(Locale.ROOT) + "-" + m.pageCount++, false));
        }

        /** A person on RoomDeck's bundled web page; its page is opened on the room's invite link at once, not joined. */
        Page bundledPage(String person) {
            Page p = add(new Page("w" + m.pageCount++, person, Kind.BUNDLED, null, true));
            String url = "http://127.0.0.1:" + m.server.server().httpPort() + "/?room=" + enc(room) + "&video=" + Meeting.VIDEO_SIZE;
            m.driver.call(JSON.createObjectNode().put("cmd", "open").put("page", p.label).put("browser", "CHROMIUM")
                    .put("url", url).put("initScript", Meeting.errorCollector()));
            say("  opened " + p + " (not joined yet): " + url);
            return p;
        }

        private Page add(Page p) {
            pages.add(p);
            return p;
        }

        /**
         * The SDK's app page is opened, and joins at once as the example does: generateTestToken, joinRoom, and (unless
         * a viewer) addStream of camera and microphone once connected.
         */
        void join(Page p) {
            if (p.kind != Kind.SDK) {
                throw new IllegalArgumentException(p + " joins through its form: joinThroughForm");
            }
            String url = m.app.baseUrl() + "/index.html?server=" + enc("http://127.0.0.1:" + m.server.server().httpPort())
                    + "&appkey=" + enc(APPKEY) + "&room=" + enc(room) + "&user=" + enc(p.user) + "&name=" + enc(p.name)
                    + "&publish=" + (p.publishes ? "1" : "0");
            p.status = Status.JOINED;
            m.driver.call(JSON.createObjectNode().put("cmd", "open").put("page", p.label).put("browser", "CHROMIUM").put("url", url));
            say("  opened " + p + ": " + url);
        }

        /** The person types their name into the bundled page's join form, sets camera and microphone, clicks Join. */
        void joinThroughForm(Page p, boolean cameraAndMicrophone) {
            m.driver.call(JSON.createObjectNode().put("cmd", "type").put("page", p.label).put("selector", "#name-input")
                    .put("text", p.name));
            if (!cameraAndMicrophone) {
                // The switches are styled labels around the checkboxes: a click on either toggles the box.
                eval(p, "document.getElementById('cam-check').click(); document.getElementById('mic-check').click(); "
                        + "[document.getElementById('cam-check').checked, document.getElementById('mic-check').checked]");
                p.publishes = false;
                p.camera = false;
                p.mic = false;
            }
            p.status = Status.JOINED;
            m.driver.call(JSON.createObjectNode().put("cmd", "click").put("page", p.label).put("selector", "#join-button"));
        }

        /** An SDK page that joined without publishing publishes camera and microphone: the SDK's addStream. */
        void publish(Page p) {
            eval(p, "rtcEngine.addStream(localStream)");
            p.publishes = true;
        }

        /** The SDK's localStream.muteVideo(muted) on an SDK page. */
        void muteVideo(Page p, boolean muted) {
            eval(p, "localStream.muteVideo(" + muted + ")");
            p.camera = !muted;
        }

        /** The SDK's localStream.muteAudio(muted) on an SDK page. */
        void muteAudio(Page p, boolean muted) {
            eval(p, "localStream.muteAudio(" + muted + ")");
            p.mic = !muted;
        }

        private JsonNode eval(Page p, String expression) {
            return m.driver.call(JSON.createObjectNode().put("cmd", "eval").put("page", p.label).put("expr", expression));
        }

        /** Something that happens in the room. */
        @FunctionalInterface
        interface Action {
            void run() throws Exception;
        }

        /**
         * Runs {@code action}, then waits until every page decodes and hears every other (see the class comment), for
         * at most {@link #LIMIT}; records the result, with what went wrong if it is not green.
         */
        StepResult step(String description, Action action) {
            int n = results.size() + 1;
            say("step " + n + ": " + description);
            for (Page p : pages) {
                JsonNode last = p.last;
                p.errorsBefore = last == null ? 0 : size(last, p.kind == Kind.SDK ? "serverErrors" : "errors");
                p.pageErrorsBefore = last == null ? 0 : size(last, "pageErrors");
            }
            serverErrorsBefore = m.log.errorCount();
            serverLinesBefore = m.log.lines().size();
            long t0 = System.nanoTime();
            try {
                action.run();
            } catch (Exception | AssertionError e) {
                StepResult r = new StepResult(n, description, false, -1, List.of("the step itself failed: " + e), "");
                results.add(r);
                say("  FAILED: " + e);
                saveLogs();
                return r;
            }
            double greenAfter = -1;
            Verdict last;
            Verdict lastRed = null;
            while (true) {
                last = observe();
                double elapsed = (System.nanoTime() - t0) / 1e9;
                if (last.problems.isEmpty()) {
                    greenAfter = elapsed;
                    break;
                }
                lastRed = last;
                if (elapsed >= WATCH.toSeconds()) {
                    break;
                }
            }
            boolean green = greenAfter >= 0 && greenAfter <= LIMIT.toSeconds();
            StepResult r;
            if (green) {
                r = new StepResult(n, description, true, greenAfter, List.of(), "");
                say(String.format(Locale.ROOT, "  green: every page decodes and hears every other after %.1f s (limit %d s)",
                        greenAfter, LIMIT.toSeconds()) + (lastRed == null ? "" : "; the observation before said "
                        + lastRed.problems.size() + " thing(s) were not yet so, e.g. " + clip(lastRed.problems.get(0), 600)));
            } else {
                Verdict shown = lastRed;
                String diagnosis = diagnose(shown.troubled);
                r = new StepResult(n, description, false, greenAfter, shown.problems, diagnosis);
                say((greenAfter >= 0
                        ? String.format(Locale.ROOT, "  LATE: green only after %.1f s (limit %d s); before that:", greenAfter, LIMIT.toSeconds())
                        : String.format(Locale.ROOT, "  NOT GREEN: still not after %d s:", WATCH.toSeconds()))
                        + "\n" + indent(shown.problems, "    ") + diagnosis);
            }
            results.add(r);
            saveLogs();
            return r;
        }

        /** Fails with every step that was not green in time: what was wrong, and the diagnosis of each. */
        void assertEveryStepGreen() {
            for (Page p : pages) {
                if (p.kind == Kind.SDK && p.last != null) {
                    say("  " + p + " (not a check): " + sdkSummary(p.last));
                }
            }
            StringBuilder summary = new StringBuilder();
            for (StepResult r : results) {
                summary.append(String.format(Locale.ROOT, "  step %d %-78s %s%n", r.number, r.description,
                        r.green ? String.format(Locale.ROOT, "green after %.1f s", r.greenAfter)
                                : r.greenAfter >= 0 ? String.format(Locale.ROOT, "LATE (%.1f s)", r.greenAfter) : "NOT GREEN"));
            }
            say(String.format(Locale.ROOT, "scenario %s (%.0f s):%n", name, (System.nanoTime() - startedNanos) / 1e9) + summary);
            List<StepResult> failed = results.stream().filter(r -> !r.green).toList();
            if (failed.isEmpty()) {
                return;
            }
            StringBuilder b = new StringBuilder(name + ": " + failed.size() + " of " + results.size()
                    + " steps not green within " + LIMIT.toSeconds() + " s:\n" + summary);
            for (StepResult r : failed) {
                b.append("\nstep ").append(r.number).append(" (").append(r.description).append("):\n")
                        .append(indent(r.problems, "    ")).append(r.diagnosis);
            }
            b.append("\nserver log: ").append(m.log.summary()).append("\npage consoles and server log: ").append(logDir);
            throw new AssertionError(b.toString());
        }

        // -------------------------------------------------------------- observing

        private record Verdict(List<String> problems, Set<Page> troubled) {}

        /** Samples every page of the room in parallel (a 2 s window) and checks each against what it should show. */
        private Verdict observe() {
            Map<Page, CompletableFuture<JsonNode>> probes = new LinkedHashMap<>();
            for (Page p : pages) {
                if (p.status == Status.JOINED) {
                    probes.put(p, m.driver.send(JSON.createObjectNode().put("cmd", "eval").put("page", p.label)
                            .put("expr", p.kind == Kind.SDK ? SDK_PROBE : WEB_PROBE)));
                }
            }
            List<String> problems = new ArrayList<>();
            Set<Page> troubled = new LinkedHashSet<>();
            for (var e : probes.entrySet()) {
                Page p = e.getKey();
                try {
                    p.last = Driver.await(e.getValue());
                } catch (RuntimeException ex) {
                    p.last = null;
                    problems.add(p + ": the page could not be read: " + ex.getMessage());
                    troubled.add(p);
                }
            }
            // Who is who: an SDK page's stream is its RTCStream; a bundled page shows its own id and stream on its own tile.
            for (Page p : pages) {
                if (p.last == null) {
                    continue;
                }
                if (p.kind == Kind.SDK) {
                    String msid = p.last.path("msid").asText(null);
                    if (p.publishes && msid != null && p.last.path("published").asBoolean()) {
                        p.msid = msid;
                    }
                } else {
                    for (JsonNode t : p.last.path("tiles")) {
                        if (t.path("local").asBoolean() && !t.path("peerId").asText("").isEmpty()) {
                            p.user = t.path("peerId").asText();
                            p.msid = t.path("msid").asText("").isEmpty() ? null : t.path("msid").asText();
                        }
                    }
                }
            }
            List<Page> present = pages.stream().filter(p -> p.status == Status.JOINED).toList();
            for (Page p : present) {
                if (p.last == null) {
                    continue;
                }
                int before = problems.size();
                if (p.kind == Kind.SDK) {
                    checkSdkPage(p, present, problems, troubled);
                } else {
                    checkBundledPage(p, present, problems, troubled);
                }
                if (problems.size() > before) {
                    troubled.add(p);
                }
            }
            checkOperatorView(present, problems);
            if (m.log.errorCount() > serverErrorsBefore) {
                problems.add("server log: " + (m.log.errorCount() - serverErrorsBefore) + " new ERROR line(s): "
                        + m.log.errorSummary(serverErrorsBefore, 5));
            }
            return new Verdict(problems, troubled);
        }

        /** An SDK page: in the room, no error event from the server, and every other person's video and audio decoded. */
        private void checkSdkPage(Page p, List<Page> present, List<String> problems, Set<Page> troubled) {
            JsonNode s = p.last;
            List<JsonNode> serverErrors = list(s.path("serverErrors"));
            for (JsonNode e : serverErrors.subList(Math.min(p.errorsBefore, serverErrors.size()), serverErrors.size())) {
                problems.add(p + " got an error event from the server (the SDK takes it for a lost connection and closes): "
                        + clip(e.asText(), 400));
            }
            String state = s.path("rtcEngineState").asText();
            if (!"connected".equals(state)) {
                problems.add(p + " is not in the room: RTCEngine state '" + state + "'; " + sdkWhy(s));
                return;
            }
            if (p.publishes && p.msid == null) {
                problems.add(p + " has not published its camera and microphone (addStream): "
                        + (s.path("msid").isNull() ? "no local media yet" : "its stream " + s.path("msid").asText() + " is not in the engine's local streams"));
            }
            for (Page other : present) {
                if (other == p || !other.publishes) {
                    continue;
                }
                if (other.msid == null) {
                    problems.add(p + " cannot be checked for " + other + ": " + other + " has no stream (yet)");
                    continue;
                }
                List<JsonNode> video = new ArrayList<>();
                List<JsonNode> audio = new ArrayList<>();
                for (JsonNode in : s.path("inbound")) {
                    if (other.msid.equals(in.path("msid").asText())) {
                        ("video".equals(in.path("kind").asText()) ? video : audio).add(in);
                    }
                }
                List<String> off = new ArrayList<>();
                if (other.camera) {
                    if (video.isEmpty()) {
                        off.add("no inbound video track of its stream");
                    } else if (video.stream().noneMatch(v -> v.path("framesDecoded").asInt() >= 5)) {
                        off.add("its video decodes no frames (" + video.stream().map(Scenario::inboundText).collect(Collectors.joining("; ")) + ")");
                    }
                }
                if (other.mic) {
                    if (audio.isEmpty()) {
                        off.add("no inbound audio track of its stream");
                    } else if (audio.stream().noneMatch(a -> a.path("packetsReceived").asInt() > 0)) {
                        off.add("no audio packets arrive (" + audio.stream().map(Scenario::inboundText).collect(Collectors.joining("; ")) + ")");
                    }
                }
                if (!off.isEmpty()) {
                    problems.add(p + " does not get " + other + "'s stream " + other.msid + ": " + String.join("; ", off)
                            + " [" + sdkMedia(s) + "]");
                    troubled.add(other); // what it sends tells as much as what this page receives
                }
            }
        }

        /** A bundled page: joined, no new error, and a tile per other person, checked as {@link Meeting} checks tiles. */
        private void checkBundledPage(Page p, List<Page> present, List<String> problems, Set<Page> troubled) {
            JsonNode s = p.last;
            List<JsonNode> errors = list(s.path("errors"));
            for (JsonNode e : errors.subList(Math.min(p.errorsBefore, errors.size()), errors.size())) {
                problems.add(p + " shows an error the server reported: " + e.asText());
            }
            List<JsonNode> pageErrors = list(s.path("pageErrors"));
            for (JsonNode e : pageErrors.subList(Math.min(p.pageErrorsBefore, pageErrors.size()), pageErrors.size())) {
                problems.add(p + " page error: " + e.asText());
            }
            if (!"joined".equals(s.path("state").asText())) {
                problems.add(p + " is not in the room: state '" + s.path("state").asText() + "', view '" + s.path("view").asText() + "'"
                        + (s.path("notice").asText("").isEmpty() ? "" : ", notice \"" + s.path("notice").asText() + "\"")
                        + (s.path("joinError").asText("").isEmpty() ? "" : ", join error \"" + s.path("joinError").asText() + "\"")
                        + " [" + s.path("media").asText() + "]");
                return;
            }
            Map<String, List<JsonNode>> remote = new LinkedHashMap<>();
            for (JsonNode t : s.path("tiles")) {
                if (!t.path("local").asBoolean()) {
                    remote.computeIfAbsent(t.path("peerId").asText(""), k -> new ArrayList<>()).add(t);
                }
            }
            for (Page other : present) {
                if (other == p) {
                    continue;
                }
                if (other.user == null) {
                    problems.add(p + " cannot be checked for " + other + ": " + other + " has not joined");
                    continue;
                }
                List<JsonNode> tiles = remote.remove(other.user);
                if (tiles == null) {
                    problems.add(p + " has no tile for " + other);
                    continue;
                }
                if (tiles.size() > 1) {
                    problems.add(p + " shows " + tiles.size() + " tiles for " + other + ": " + tiles.stream()
                            .map(t -> t.path("msid").asText() + "/" + t.path("state").asText()).toList());
                    continue;
                }
                JsonNode t = tiles.get(0);
                List<String> off = new ArrayList<>();
                String state = t.path("state").asText(null);
                String name = t.path("name").asText(null);
                String msid = t.path("msid").asText("");
                if (!other.publishes) {
                    // A viewer's tile: no stream; 'connecting' for its first seconds, then 'camera-off' (app.js's contract).
                    if (!msid.isEmpty()) {
                        off.add("data-msid '" + msid + "' for a viewer who publishes nothing");
                    }
                    if (!"connecting".equals(state) && !"camera-off".equals(state)) {
                        off.add("data-state '" + state + "' for a viewer");
                    }
                } else {
                    String expectedState = other.camera ? "live" : "camera-off";
                    if (!expectedState.equals(state)) {
                        off.add("data-state '" + state + "' instead of '" + expectedState + "'"
                                + (t.path("status").asText("").isEmpty() ? "" : " (shows \"" + t.path("status").asText() + "\")"));
                    }
                    String audio = t.path("audio").asText(null);
                    String expectedAudio = other.mic ? "on" : "muted";
                    if (!expectedAudio.equals(audio)) {
                        off.add("data-audio '" + audio + "' instead of '" + expectedAudio + "'");
                    }
                    if (other.msid != null && !other.msid.equals(msid)) {
                        off.add("data-msid '" + msid + "' instead of the stream " + other.name + " publishes ('" + other.msid + "')");
                    }
                    if (other.camera && (t.path("width").asInt(0) == 0 || t.path("timeAdvance").asDouble(0) < 1.0
                            || t.path("framesDecoded").asInt(0) < 5)) {
                        off.add("no moving video");
                    }
                    if (other.mic && t.path("audioPackets").asInt(0) <= 0) {
                        off.add("no audio packets");
                    }
                }
                if (!other.shownName().equals(name)) {
                    off.add("data-name '" + name + "' instead of '" + other.shownName() + "'");
                }
                if (!off.isEmpty()) {
                    problems.add(p + ": the tile of " + other + ": " + String.join("; ", off) + tileMedia(t));
                    troubled.add(other);
                }
            }
            remote.forEach((id, tiles) -> problems.add(p + " shows " + tiles.size() + " tile(s) for peer '" + id
                    + "', who is not one of the pages in the room"));
        }

        /** The operator's console lists exactly the people in the room, each publisher with one stream, muted as they are. */
        private void checkOperatorView(List<Page> present, List<String> problems) {
            RoomSnapshot snap = m.server.server().admin().snapshot().rooms().stream()
                    .filter(r -> r.id().equals(room)).findFirst().orElse(null);
            Set<String> expected = present.stream().map(p -> p.user)
                    .filter(u -> u != null).collect(Collectors.toCollection(TreeSet::new));
            Set<String> actual = new TreeSet<>();
            if (snap != null) {
                for (PeerSnapshot peer : snap.peers()) {
                    actual.add(peer.id());
                    Page p = present.stream().filter(x -> peer.id().equals(x.user)).findFirst().orElse(null);
                    if (p != null && !p.publishes && !peer.streams().isEmpty()) {
                        problems.add("operator view: " + p + " publishes nothing but has streams "
                                + peer.streams().stream().map(StreamSnapshot::msid).toList());
                    }
                    if (p == null || !p.publishes || p.msid == null) {
                        continue;
                    }
                    List<String> msids = peer.streams().stream().map(StreamSnapshot::msid).toList();
                    if (!msids.equals(List.of(p.msid))) {
                        problems.add("operator view: " + p + " has streams " + msids + ", expected [" + p.msid + "]");
                        continue;
                    }
                    StreamSnapshot st = peer.streams().get(0);
                    if (st.audioMuted() == p.mic || st.videoMuted() == p.camera) {
                        problems.add("operator view: " + p + "'s stream says audio " + (st.audioMuted() ? "muted" : "on")
                                + ", video " + (st.videoMuted() ? "off" : "on") + "; expected audio " + (p.mic ? "on" : "muted")
                                + ", video " + (p.camera ? "on" : "off"));
                    }
                }
            }
            if (!expected.equals(actual)) {
                problems.add("operator view: the room lists peers " + actual + ", expected " + expected);
            }
        }

        // -------------------------------------------------------------- telling why

        /** Everything that tells why these pages are not as they should be, and the server's new warnings. */
        private String diagnose(Set<Page> troubled) {
            StringBuilder b = new StringBuilder();
            for (Page p : troubled) {
                b.append("  ").append(p).append(":\n");
                JsonNode s = p.last;
                if (s == null) {
                    b.append("    (could not be read)\n");
                } else if (p.kind == Kind.SDK) {
                    sdkDiagnosis(s, b);
                } else {
                    b.append("    state ").append(s.path("state").asText()).append(", view ").append(s.path("view").asText())
                            .append(", ").append(s.path("media").asText()).append("; sends over 2 s: ")
                            .append(s.path("sending").asText("").isEmpty() ? "nothing" : s.path("sending").asText()).append('\n');
                    if (!s.path("negotiationFailures").isEmpty()) {
                        b.append("    server offers it could not apply: ").append(texts(s.path("negotiationFailures"), "; ")).append('\n');
                    }
                }
                List<String> lines = consoleLog(p);
                List<String> notable = lines.stream().filter(l -> l.matches(
                        "(?is).*(error|warn|fail|refus|exception|blocked|cors|pageerror|renegotiat|\\[sdk-test\\] (socket|engine\\.io|generateTestToken|token)).*")
                        && !l.contains("sio<") && !l.contains("sio>")).toList();
                b.append("    console: ").append(lines.size()).append(" lines; notable ones (last 15):\n");
                notable.subList(Math.max(0, notable.size() - 15), notable.size())
                        .forEach(l -> b.append("      ").append(clip(l, 400)).append('\n'));
            }
            List<String> serverLines = m.log.lines();
            List<String> fresh = serverLines.subList(Math.min(serverLinesBefore, serverLines.size()), serverLines.size());
            b.append("  server WARN/ERROR lines during the step: ").append(fresh.size()).append(fresh.isEmpty() ? "\n" : " (first kinds):\n");
            Map<String, List<String>> kinds = new LinkedHashMap<>();
            for (String l : fresh) {
                kinds.computeIfAbsent(l.replaceFirst("^\\S+ ", "").replaceAll("\\d+", "N"), k -> new ArrayList<>()).add(l);
            }
            kinds.values().stream().limit(12).forEach(v -> b.append("    ").append(v.size()).append("× ").append(clip(v.get(0), 400)).append('\n'));
            return b.toString();
        }

        private static void sdkDiagnosis(JsonNode s, StringBuilder b) {
            b.append("    RTCEngine state ").append(s.path("rtcEngineState").asText()).append(", origin ").append(s.path("origin").asText())
                    .append(", published ").append(s.path("published").asBoolean()).append(" (msid ").append(s.path("msid").asText()).append(")\n");
            b.append("    token: ").append(tokenText(s.path("token"))).append('\n');
            JsonNode sock = s.path("socket");
            b.append("    socket.io: ").append(sock.isNull() || sock.isMissingNode() ? "none"
                    : "connected " + sock.path("connected").asBoolean() + ", id " + sock.path("id").asText() + ", transport "
                    + sock.path("transport").asText() + ", uri " + sock.path("uri").asText()).append("; transports over time: ")
                    .append(list(s.path("transports")).stream().map(t -> t.path("name").asText() + " at " + secs(t.path("t"))).collect(Collectors.joining(" → ")))
                    .append('\n');
            b.append("    socket events: ").append(list(s.path("socketEvents")).stream()
                    .map(e -> e.path("what").asText() + " at " + secs(e.path("t"))).collect(Collectors.joining("; "))).append('\n');
            b.append("    signalling sent: ").append(signalling(s, ">")).append('\n');
            b.append("    signalling received: ").append(signalling(s, "<")).append('\n');
            if (!s.path("serverErrors").isEmpty()) {
                b.append("    server error events: ").append(list(s.path("serverErrors")).stream().map(e -> clip(e.asText(), 300))
                        .collect(Collectors.joining("; "))).append('\n');
            }
            JsonNode pc = s.path("pc");
            if (pc.isNull() || pc.isMissingNode()) {
                b.append("    RTCPeerConnection: none (the SDK makes it when its socket connects)\n");
            } else {
                b.append("    RTCPeerConnection: connection ").append(pc.path("connectionState").asText()).append(", ICE ")
                        .append(pc.path("iceConnectionState").asText()).append(", DTLS ").append(pc.path("dtlsState").asText())
                        .append(", signaling ").append(pc.path("signalingState").asText()).append(", path ").append(pc.path("path").asText())
                        .append('\n');
                b.append("      transceivers (direction/currentDirection): ").append(list(pc.path("transceivers")).stream()
                        .map(t -> "mid " + t.path("mid").asText() + " " + t.path("kind").asText() + " " + t.path("direction").asText() + "/"
                                + t.path("currentDirection").asText() + (t.path("sending").asBoolean() ? " with a track" : ""))
                        .collect(Collectors.joining("; "))).append('\n');
                b.append("      remote description (").append(pc.path("remoteType").asText()).append("): ").append(sections(pc.path("remote"))).append('\n');
                b.append("      local description: ").append(sections(pc.path("local"))).append('\n');
                JsonNode sent = s.path("lastSentSdp");
                if (!sent.isNull() && !sent.isMissingNode()) {
                    b.append("      the last SDP it sent the server (").append(sent.path("name").asText()).append(" at ")
                            .append(secs(sent.path("t"))).append("): ").append(sections(sent.path("sections"))).append('\n');
                }
                b.append("      state changes: ").append(list(s.path("pcEvents")).stream()
                        .map(e -> e.path("what").asText() + " at " + secs(e.path("t"))).collect(Collectors.joining("; "))).append('\n');
            }
            b.append("      inbound over 2 s: ").append(list(s.path("inbound")).stream().map(Scenario::inboundText)
                    .collect(Collectors.joining("; "))).append('\n');
            b.append("      outbound over 2 s: ").append(list(s.path("outbound")).stream().map(o -> o.path("kind").asText() + " mid "
                    + o.path("mid").asText() + " ssrc " + o.path("ssrc").asText() + " packets +" + o.path("packetsSent").asInt() + ("video".equals(o.path("kind").asText())
                    ? ", frames +" + o.path("framesEncoded").asInt() + " at width " + o.path("frameWidth").asInt() + " (limited by "
                    + o.path("limitation").asText() + ")" : "")).collect(Collectors.joining("; "))).append('\n');
            b.append("    peers the SDK knows: ").append(texts(s.path("peersKnown"), ", ")).append("; remote streams it could show: ")
                    .append(texts(s.path("remoteStreamsShown"), ", ")).append('\n');
            List<JsonNode> errors = list(s.path("pageErrors"));
            if (!errors.isEmpty()) {
                b.append("    page errors (not a check: the SDK's own bugs show here too): ").append(errors.size()).append(", e.g.\n");
                Set<String> kinds = new LinkedHashSet<>();
                for (JsonNode e : errors) {
                    kinds.add(clip(e.path("text").asText().lines().limit(2).collect(Collectors.joining(" | ")), 300)
                            + (e.path("knownSdkBug").asBoolean() ? " [the SDK's ontrack bug, ORIGIN.md]" : ""));
                }
                kinds.stream().limit(6).forEach(k -> b.append("      ").append(k).append('\n'));
            }
        }

        /** How an SDK page got on, in one line: its token, transports, signalling, connection and page errors. */
        private static String sdkSummary(JsonNode s) {
            List<JsonNode> errors = list(s.path("pageErrors"));
            long known = errors.stream().filter(e -> e.path("knownSdkBug").asBoolean()).count();
            Set<String> other = new LinkedHashSet<>();
            errors.stream().filter(e -> !e.path("knownSdkBug").asBoolean())
                    .forEach(e -> other.add(clip(e.path("text").asText().lines().findFirst().orElse(""), 200)));
            JsonNode pc = s.path("pc");
            return "token " + tokenText(s.path("token")) + "; Engine.IO " + list(s.path("transports")).stream()
                    .map(t -> t.path("name").asText() + " at " + secs(t.path("t"))).collect(Collectors.joining(" → "))
                    + "; sent " + signalling(s, ">") + "; received " + signalling(s, "<")
                    + "; RTCPeerConnection " + pc.path("connectionState").asText() + ", signaling " + pc.path("signalingState").asText()
                    + ", path " + pc.path("path").asText() + "; page errors: " + errors.size()
                    + (known > 0 ? " (" + known + " the SDK's ontrack bug)" : "") + (other.isEmpty() ? "" : ", others: " + other);
        }

        /** Why an SDK page is not in the room, in one line. */
        private static String sdkWhy(JsonNode s) {
            JsonNode token = s.path("token");
            if (token.isNull() || token.isMissingNode()) {
                return "no answer from generateTestToken yet";
            }
            if (token.has("error")) {
                return "generateTestToken failed: " + tokenText(token);
            }
            JsonNode sock = s.path("socket");
            return "token " + tokenText(token) + "; socket.io " + (sock.isNull() || sock.isMissingNode() ? "none"
                    : (sock.path("connected").asBoolean() ? "connected" : "not connected") + " over " + sock.path("transport").asText())
                    + "; last socket events: " + list(s.path("socketEvents")).stream().skip(Math.max(0, s.path("socketEvents").size() - 4))
                    .map(e -> e.path("what").asText()).collect(Collectors.joining("; "))
                    + "; signalling sent: " + signalling(s, ">") + "; received: " + signalling(s, "<");
        }

        private static String tokenText(JsonNode token) {
            if (token.isNull() || token.isMissingNode()) {
                return "none yet";
            }
            if (token.has("error")) {
                return "ERROR " + token.path("error").asText() + (token.path("status").isNull() ? "" : ", HTTP " + token.path("status").asText())
                        + (token.path("body").isNull() ? "" : ", body " + token.path("body").asText());
            }
            JsonNode c = token.path("claims");
            return "wsUrl " + c.path("wsUrl").asText("(none)") + ", iceServers " + c.path("iceServers") + ", iceTransportPolicy "
                    + c.path("iceTransportPolicy").asText("(none)") + ", room " + c.path("room").asText() + ", user " + c.path("user").asText();
        }

        /** "join, addStream, configure×2" in the order first seen, for one direction. */
        private static String signalling(JsonNode s, String dir) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (JsonNode e : s.path("signalling")) {
                if (dir.equals(e.path("dir").asText())) {
                    String k = e.path("kind").asText() + (e.path("name").asText("").isEmpty() ? "" : " " + e.path("name").asText());
                    counts.merge(k.replaceFirst("^event ", ""), 1, Integer::sum);
                }
            }
            return counts.isEmpty() ? "nothing" : counts.entrySet().stream()
                    .map(e -> e.getKey() + (e.getValue() > 1 ? "×" + e.getValue() : "")).collect(Collectors.joining(", "));
        }

        private static String sections(JsonNode sections) {
            if (sections.isEmpty()) {
                return "none";
            }
            return list(sections).stream().map(x -> "mid " + x.path("mid").asText() + " " + x.path("kind").asText() + " "
                    + (x.path("rejected").asBoolean() ? "rejected" : x.path("direction").asText())
                    + (x.path("msid").isNull() ? "" : " msid " + x.path("msid").asText())
                    + (x.path("ssrcs").isEmpty() ? "" : " ssrc " + texts(x.path("ssrcs"), ","))).collect(Collectors.joining("; "));
        }

        private static String inboundText(JsonNode in) {
            return in.path("kind").asText() + " mid " + in.path("mid").asText() + " msid " + in.path("msid").asText() + ": "
                    + ("video".equals(in.path("kind").asText()) ? "frames decoded +" + in.path("framesDecoded").asInt() + " (total "
                    + in.path("totalFramesDecoded").asInt() + ", " + in.path("frameWidth").asInt() + "x" + in.path("frameHeight").asInt()
                    + ", key frames +" + in.path("keyFramesDecoded").asInt() + ", PLI +" + in.path("pliCount").asInt() + "), " : "")
                    + "packets +" + in.path("packetsReceived").asInt() + " (total " + in.path("totalPacketsReceived").asInt() + ", lost +"
                    + in.path("packetsLost").asInt() + ")";
        }

        private static String sdkMedia(JsonNode s) {
            JsonNode pc = s.path("pc");
            return "pc " + pc.path("connectionState").asText() + ", ICE " + pc.path("iceConnectionState").asText() + ", signaling "
                    + pc.path("signalingState").asText() + "; inbound msids " + list(s.path("inbound")).stream()
                    .map(i -> i.path("kind").asText() + ":" + i.path("msid").asText()).distinct().collect(Collectors.joining(", "));
        }

        private static String tileMedia(JsonNode t) {
            return String.format(Locale.ROOT, " [data-state %s, data-audio %s, <video> %dx%d, currentTime +%.1f s; receiver: video packets +%d, "
                            + "framesDecoded +%d, key frames +%d; audio packets +%d; track muted %s]",
                    t.path("state").asText(), t.path("audio").asText(), t.path("width").asInt(), t.path("height").asInt(),
                    t.path("timeAdvance").asDouble(), t.path("videoPackets").asInt(), t.path("framesDecoded").asInt(),
                    t.path("keyFrames").asInt(), t.path("audioPackets").asInt(), t.path("videoTrackMuted").asText("?"));
        }

        private List<String> consoleLog(Page p) {
            List<String> out = new ArrayList<>();
            try {
                m.driver.call(JSON.createObjectNode().put("cmd", "log").put("page", p.label)).forEach(l -> out.add(l.asText()));
            } catch (RuntimeException e) {
                out.add("(console unreadable: " + e.getMessage() + ")");
            }
            return out;
        }

        private void saveLogs() {
            for (Page p : pages) {
                if (p.status == Status.GONE || (p.kind == Kind.SDK && p.status == Status.NEW)) {
                    continue;
                }
                try {
                    Files.write(logDir.resolve(p.label + "-" + p.kind.name().toLowerCase(Locale.ROOT) + "-" + p.name + ".log"), consoleLog(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                Files.write(logDir.resolve("server.log"), m.log.infoLines());
                Files.write(logDir.resolve("server-warnings.log"), m.log.lines());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Closes the scenario's pages (their logs saved first); the server, site and browser stay for the next one. */
        @Override
        public void close() {
            try {
                saveLogs();
            } catch (RuntimeException ignored) {
                // best effort
            }
            for (Page p : pages) {
                if (p.status != Status.GONE && !(p.kind == Kind.SDK && p.status == Status.NEW)) {
                    try {
                        m.driver.call(JSON.createObjectNode().put("cmd", "close").put("page", p.label));
                    } catch (RuntimeException ignored) {
                        // already gone
                    }
                    p.status = Status.GONE;
                }
            }
        }
    }

    /** One step's outcome: green in time or not, after how long, what was wrong and why. */
    record StepResult(int number, String description, boolean green, double greenAfter, List<String> problems, String diagnosis) {}

    // ------------------------------------------------------------------ probes

    /** An SDK page: its observer's probe (page/observe.js): two getStats() of the SDK's RTCPeerConnection 2 s apart. */
    private static final String SDK_PROBE = "window.sdkTest ? window.sdkTest.probe() : Promise.reject(new Error('no sdkTest on this page'))";

    /** A bundled page: its tiles over a 2 s window, as {@link Meeting}'s probe samples them (one getStats() per sample). */
    private static final String WEB_PROBE = """
            (async () => {
              const rd = window.roomdeck;
              const pc = rd && rd.client && rd.client.peerConnection;
              const tracks = t => {
                const v = t.querySelector('video');
                const s = v && v.srcObject;
                return { v, vt: s && s.getVideoTracks ? s.getVideoTracks()[0] : null, at: s && s.getAudioTracks ? s.getAudioTracks()[0] : null };
              };
              const outbound = {};
              const sample = async () => {
                const inbound = new Map();
                if (pc && pc.signalingState !== 'closed') {
                  (await pc.getStats()).forEach(r => {
                    if (r.type === 'inbound-rtp' && r.trackIdentifier) inbound.set(r.trackIdentifier, r);
                    if (r.type === 'outbound-rtp') (outbound[r.id] = outbound[r.id] || []).push(r);
                  });
                }
                const m = new Map();
                for (const t of document.querySelectorAll('.tile')) {
                  const { v, vt, at } = tracks(t);
                  m.set(t, { time: v ? v.currentTime : 0, v: (vt && inbound.get(vt.id)) || {}, a: (at && inbound.get(at.id)) || {} });
                }
                return m;
              };
              const a = await sample();
              await new Promise(r => setTimeout(r, 2000));
              const b = await sample();
              const text = id => { const e = document.getElementById(id); return e && !e.hidden ? e.textContent.trim() : ''; };
              const sending = Object.values(outbound).filter(o => o.length === 2).map(([x, y]) => y.kind + ' mid ' + y.mid
                  + ' ssrc ' + y.ssrc + ' packets +' + (y.packetsSent - x.packetsSent)
                  + (y.kind === 'video' ? ', frames +' + (y.framesEncoded - x.framesEncoded) + ' at width ' + (y.frameWidth || 0) : '')).join('; ');
              const tiles = [...document.querySelectorAll('.tile')].map(t => {
                const x = a.get(t) || { time: 0, v: {}, a: {} }, y = b.get(t) || x;
                const d = (o, k) => (y[o][k] || 0) - (x[o][k] || 0);
                const { v, vt } = tracks(t);
                const st = t.querySelector('.status');
                return {
                  local: t.classList.contains('local'),
                  peerId: t.dataset.peerId ?? null, msid: t.dataset.msid ?? null, name: t.dataset.name ?? null,
                  state: t.dataset.state ?? null, audio: t.dataset.audio ?? null,
                  status: st && !st.hidden ? st.textContent.trim() : '',
                  width: v ? v.videoWidth : 0, height: v ? v.videoHeight : 0, timeAdvance: y.time - x.time,
                  framesDecoded: d('v', 'framesDecoded'), videoPackets: d('v', 'packetsReceived'), keyFrames: d('v', 'keyFramesDecoded'),
                  audioPackets: d('a', 'packetsReceived'), videoTrackMuted: vt ? vt.muted : null,
                };
              });
              return {
                state: rd ? rd.state : null, view: document.body.dataset.view,
                media: pc ? 'pc ' + pc.connectionState + ', ICE ' + pc.iceConnectionState + ', signaling ' + pc.signalingState : 'no peer connection',
                sending,
                notice: text('join-notice-text'), joinError: text('join-error'),
                errors: rd ? rd.errors.map(e => e && typeof e === 'object' ? JSON.stringify({ ...e, message: e.message }) : String(e)) : ['no window.roomdeck'],
                negotiationFailures: rd ? rd.negotiationLog.map(x => JSON.stringify(x)) : [],
                pageErrors: window.__pageErrors ? Array.from(window.__pageErrors, String) : [],
                tiles,
              };
            })()
            """;

    // ------------------------------------------------------------------ small things

    static void say(String line) {
        Meeting.say("[rtcengine-sdk] " + line);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int size(JsonNode n, String field) {
        return n.path(field).size();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static String texts(JsonNode array, String sep) {
        return list(array).stream().map(JsonNode::asText).collect(Collectors.joining(sep));
    }

    private static String secs(JsonNode ms) {
        return String.format(Locale.ROOT, "%.1f s", ms.asLong() / 1000.0);
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }

    private static String indent(List<String> lines, String prefix) {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(prefix).append(l).append('\n'));
        return b.toString();
    }
}
