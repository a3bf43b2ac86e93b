package dev.roomdeck.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.Launcher;
import dev.roomdeck.TestServer;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.config.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Field;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * A meeting of real browser pages on the bundled web client, for tests that check what people in a meeting see.
 *
 * <p>It starts a {@link TestServer} that serves assets/web from the checkout, one headless browser process per engine
 * (Debian's Chromium, Firefox ESR) driven by server/src/test/node/browsers.js (puppeteer-core over CDP and WebDriver
 * BiDi), and opens every participant's page in its own browser context: separate storage, so a separate RoomDeck
 * identity, while eight pages share one browser process (which is what lets two cores carry a meeting of eight).
 * People join the way a person does: the page opened from an invite link ({@code /?room=R}, plus
 * {@code video=320x240}), a name typed into the join form, the Join button clicked.
 *
 * <p>{@link #step} runs one thing that happens in the meeting and then waits, up to {@link #STEP_LIMIT}, until
 * <em>everyone plays everyone</em>: on every page in the room, for every other participant, exactly one tile whose
 * {@code <video>} advances ({@code currentTime} over a 2 s window and {@code framesDecoded} of its receiver rising) and
 * whose audio packets keep arriving, with {@code data-state}, {@code data-audio}, {@code data-name} and
 * {@code data-msid} as the participant's camera, microphone, name and stream say; the local tile likewise; every
 * participant in their own seat (a {@code data-peer-id} of their own, not the typed name, kept over a reload); no new
 * error on any page ({@code window.roomdeck.errors}, and the page error collector of {@link Browser}); the operator's
 * view of the room (the admin API) listing exactly the participants in it, muted as they are; and no new ERROR in the
 * server's log. ({@code currentTime} alone is not enough: it advances with the audio while the picture is frozen.)
 * Each step's figures (time until everyone plays everyone, frames decoded per tile, CPU of the machine, the browsers
 * and the server) are printed; a step that is not green within the limit is observed a little longer
 * (to tell "late" from "stuck"), recorded with what each page showed, and the meeting goes on with the next step, so
 * one run reports every step. {@link #assertEveryStepGreen()} fails with all of it.
 *
 * <p>Guards: {@link #assumeCanRun} skips unless the JVM runs in a loopback-only network namespace, the browsers are
 * installed and Node has puppeteer-core (.ci/test runs {@code npm ci} in server/src/test/node).
 */
final class Meeting implements AutoCloseable {
    /** Every page plays every participant within this time after each step (issue 12). */
    static final Duration STEP_LIMIT = Duration.ofSeconds(10);
    /** A step that missed the limit is watched this long in all, to report whether it got there late or never. */
    static final Duration STEP_WATCH = Duration.ofSeconds(16);
    /** A participant's camera size: what lets two cores carry eight pages (see ../shared/notes/browser-tests.md). */
    static final String VIDEO_SIZE = "320x240";
    /** Every page's viewport (480x270 instead measured no lighter: the browsers' cost is media, not painting). */
    static final int[] VIEWPORT = {800, 600};

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    /** The browsers a meeting can hold, each one process with one context per page. */
    enum Engine {
        CHROMIUM("chrome", Browser.CHROMIUM),
        FIREFOX("firefox", Path.of("/usr/bin/firefox-esr"));

        final String product;
        final Path binary;

        Engine(String product, Path binary) {
            this.product = product;
            this.binary = binary;
        }

        /** Launch settings that make WebRTC work on loopback only (../shared/notes/browser-tests.md). */
        ObjectNode launch() {
            ObjectNode c = JSON.createObjectNode()
                    .put("cmd", "launch").put("browser", name()).put("product", product)
                    .put("executablePath", binary.toString());
            c.putObject("viewport").put("width", VIEWPORT[0]).put("height", VIEWPORT[1]);
            ArrayNode args = c.putArray("args");
            ObjectNode prefs = c.putObject("prefs");
            if (this == CHROMIUM) {
                Browser.FLAGS.forEach(args::add);
            } else {
                prefs.put("media.navigator.streams.fake", true);
                prefs.put("media.navigator.permission.disabled", true);
                prefs.put("media.navigator.permission.fake", true);
                prefs.put("media.peerconnection.ice.loopback", true);
                prefs.put("media.peerconnection.ice.obfuscate_host_addresses", false);
                prefs.put("media.autoplay.default", 0);
                prefs.put("network.dns.disabled", true);
            }
            return c;
        }
    }

    /** Skips the calling test unless browsers may run here and these engines, Node and puppeteer-core are installed. */
    static void assumeCanRun(Engine... engines) {
        BrowserTests.assumeLoopbackOnly();
        for (Engine e : engines) {
            assumeTrue(Files.isExecutable(e.binary), () -> "needs " + e.binary);
        }
        assumeTrue(Files.isDirectory(nodeProject().resolve("node_modules/puppeteer-core")),
                "puppeteer-core not installed: run npm ci in server/src/test/node");
        boolean node;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            node = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            node = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node = false;
        }
        assumeTrue(node, "node is not installed");
    }

    static Path nodeProject() {
        for (Path p : List.of(Path.of("src/test/node"), Path.of("server/src/test/node"))) {
            if (Files.isRegularFile(p.resolve("browsers.js"))) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("server/src/test/node/browsers.js not found from " + Path.of("").toAbsolutePath());
    }

    // ------------------------------------------------------------------ the meeting

    private final String room;
    private final TestServer server;
    private final ServerLog log;
    private final Driver driver;
    private final Path logDir;
    private final List<Participant> participants = new ArrayList<>();
    private final List<StepResult> results = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private long serverErrorsBefore;

    private Meeting(String room, TestServer server, ServerLog log, Driver driver, Path logDir) {
        this.room = room;
        this.server = server;
        this.log = log;
        this.driver = driver;
        this.logDir = logDir;
    }

    /**
     * Starts the server (its log captured from here on), the driver and one browser per engine. {@code name} names
     * the folder (target/meeting-logs/NAME) that receives every page's console and the server's warnings.
     */
    static Meeting start(String name, String room, Engine... engines) throws Exception {
        Launcher.installLogging(); // ice4j logs through java.util.logging, as in the product
        ServerLog log = ServerLog.attach();
        TestServer server = null;
        Driver driver = null;
        try {
            server = TestServer.start(c -> servingCheckout(c.withAppKeys(Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET))));
            driver = Driver.start();
            for (Engine e : engines) {
                JsonNode v = driver.call(e.launch());
                driver.browserPids.add(v.path("pid").asLong(0));
                say("started " + e + ": " + v.path("version").asText());
            }
            Path logDir = Path.of("target", "meeting-logs", name).toAbsolutePath();
            keepEarlierRun(logDir);
            Files.createDirectories(logDir);
            return new Meeting(room, server, log, driver, logDir);
        } catch (Exception | Error e) {
            if (driver != null) {
                driver.close();
            }
            if (server != null) {
                server.close();
            }
            log.detach();
            throw e;
        }
    }

    /**
     * A test that fails runs again (surefire's rerun): its first run's logs are what explain the failure, so they
     * move to NAME.earlier-run instead of being overwritten (one earlier run is kept).
     */
    static void keepEarlierRun(Path logDir) throws java.io.IOException {
        if (!Files.isDirectory(logDir)) {
            return;
        }
        Path earlier = logDir.resolveSibling(logDir.getFileName() + ".earlier-run");
        if (Files.isDirectory(earlier)) {
            try (var files = Files.walk(earlier)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.move(logDir, earlier);
    }

    private static ServerConfig servingCheckout(ServerConfig c) {
        return new ServerConfig(c.bind(), c.httpPort(), c.mediaPort(), c.mediaAddresses(), c.announcedAddress(),
                c.dataDir(), BrowserTests.webAssets(), c.tokenEndpoint(), c.appKeys(), c.tokenTtlSeconds(),
                c.defaultBitrateKbps(), c.limits(), c.tls());
    }

    TestServer server() {
        return server;
    }

    String room() {
        return room;
    }

    /** The invite link a participant opens: the room filled in, and the camera size the meeting runs at. */
    String inviteUrl() {
        return "http://127.0.0.1:" + server.server().httpPort() + "/?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8)
                + "&video=" + VIDEO_SIZE;
    }

    /** Opens pages (in parallel) on the invite link, one browser context each; nobody has joined yet. */
    List<Participant> open(Engine engine, String... names) {
        List<Participant> opened = new ArrayList<>();
        List<CompletableFuture<JsonNode>> loads = new ArrayList<>();
        for (String n : names) {
            Participant p = new Participant(this, "p" + participants.size(), n, engine);
            participants.add(p);
            opened.add(p);
            loads.add(driver.send(JSON.createObjectNode().put("cmd", "open").put("page", p.label)
                    .put("browser", engine.name()).put("url", inviteUrl())
                    .put("initScript", errorCollector() + (engine == Engine.FIREFOX ? SEEN_AS_VISIBLE : ""))));
        }
        long t0 = System.nanoTime();
        loads.forEach(Driver::await);
        say(String.format(Locale.ROOT, "opened %d %s page(s) in %.1f s", names.length, engine, seconds(System.nanoTime() - t0)));
        return opened;
    }

    /** Each types their name into the join form, then they click Join one after another, {@code gap} apart. */
    void joinOneAfterAnother(List<Participant> people, Duration gap) throws InterruptedException {
        typeNames(people);
        for (int i = 0; i < people.size(); i++) {
            if (i > 0) {
                Thread.sleep(gap.toMillis());
            }
            people.get(i).clickJoin();
        }
    }

    /** Each types their name into the join form, then all click Join at the same moment. */
    void joinAtTheSameMoment(List<Participant> people) {
        typeNames(people);
        List<CompletableFuture<JsonNode>> clicks = new ArrayList<>();
        for (Participant p : people) {
            p.status = Status.IN_ROOM;
            clicks.add(driver.send(click(p, "#join-button")));
        }
        clicks.forEach(Driver::await);
    }

    /** Everyone types their name into their page's join form (in parallel). */
    private void typeNames(List<Participant> people) {
        people.stream().map(p -> driver.send(JSON.createObjectNode().put("cmd", "type").put("page", p.label)
                .put("selector", "#name-input").put("text", p.name))).toList().forEach(Driver::await);
    }

    /** The operator mutes (or unmutes) a participant's microphone from the console (the in-process admin API). */
    void operatorMutesMicrophone(Participant p, boolean muted) throws Exception {
        String msid = p.publishedMsid();
        server.server().admin().mute(room, p.peerId, msid, true, muted);
        p.operatorMutedAudio = muted;
    }

    /** Something that happens in the meeting. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /**
     * Runs {@code action}, then waits until everyone plays everyone (see the class comment), for at most
     * {@link #STEP_LIMIT}; prints the figure and records the result. A step whose action throws is recorded as failed.
     */
    StepResult step(String description, Action action) {
        int n = results.size() + 1;
        say("step " + n + ": " + description);
        long t0 = System.nanoTime();
        long[] cpu0 = cpuTicks();
        Map<Long, Long> procs0 = processTicks();
        // Each step answers for the errors that appear during it: what pages and the log showed before is counted.
        for (Participant p : participants) {
            p.errorsBefore = p.errorsSeen;
            p.pageErrorsBefore = p.pageErrorsSeen;
        }
        serverErrorsBefore = log.errorCount();
        try {
            action.run();
        } catch (Exception | AssertionError e) {
            StepResult r = new StepResult(n, description, false, -1, List.of("the step itself failed: " + e), 0, 0,
                    cpuBusy(cpu0, procs0), load());
            results.add(r);
            say("  FAILED: " + e);
            savePageLogs();
            return r;
        }
        long acted = System.nanoTime();
        Verdict last;
        Verdict lastRed = null;
        double greenAfter = -1;
        while (true) {
            last = observe();
            double elapsed = seconds(System.nanoTime() - acted);
            if (last.problems.isEmpty()) {
                greenAfter = elapsed;
                break;
            }
            lastRed = last;
            if (elapsed >= STEP_WATCH.toSeconds()) {
                break;
            }
        }
        boolean green = greenAfter >= 0 && greenAfter <= STEP_LIMIT.toSeconds();
        Verdict shown = green || lastRed == null ? last : lastRed;
        StepResult r = new StepResult(n, description, green, greenAfter, shown.problems, shown.pairsPlaying, shown.pairs,
                cpuBusy(cpu0, procs0), load());
        results.add(r);
        String figures = String.format(Locale.ROOT, "the step took %.1f s; %s; CPU %s; load %s",
                seconds(acted - t0), shown.smoothness(), r.cpu, r.load);
        if (green) {
            say(String.format(Locale.ROOT, "  everyone plays everyone after %.1f s (limit %d s; %s)",
                    greenAfter, STEP_LIMIT.toSeconds(), figures));
        } else {
            say((greenAfter >= 0
                    ? String.format(Locale.ROOT, "  LATE: everyone plays everyone only after %.1f s (limit %d s; %s); before that, %d of %d tiles as they should be:",
                            greenAfter, STEP_LIMIT.toSeconds(), figures, shown.pairsPlaying, shown.pairs)
                    : String.format(Locale.ROOT, "  NOT GREEN: still not after %d s (%s); %d of %d tiles as they should be:",
                            STEP_WATCH.toSeconds(), figures, shown.pairsPlaying, shown.pairs))
                    + "\n" + indent(shown.problems, 60) + pageLogsOf(shown.pagesWithProblems));
        }
        savePageLogs();
        return r;
    }

    /** Fails with every step that was not green in time, with what the pages showed and the server's log. */
    void assertEveryStepGreen() {
        StringBuilder summary = new StringBuilder();
        for (StepResult r : results) {
            summary.append(String.format(Locale.ROOT, "  step %d %-70s %-22s CPU %s%n", r.number, r.description,
                    r.green ? String.format(Locale.ROOT, "green after %.1f s", r.greenAfter)
                            : r.greenAfter >= 0 ? String.format(Locale.ROOT, "LATE (%.1f s)", r.greenAfter)
                            : String.format(Locale.ROOT, "NOT GREEN (%d/%d)", r.tilesRight, r.tiles), r.cpu));
        }
        say("summary (" + String.format(Locale.ROOT, "%.0f s", seconds(System.nanoTime() - startedNanos)) + "):\n" + summary
                + "server log: " + log.summary());
        List<StepResult> failed = results.stream().filter(r -> !r.green).toList();
        if (!failed.isEmpty()) {
            StringBuilder b = new StringBuilder(failed.size() + " of " + results.size() + " steps not green within "
                    + STEP_LIMIT.toSeconds() + " s:\n" + summary);
            for (StepResult r : failed) {
                b.append("\nstep ").append(r.number).append(" (").append(r.description).append("):\n")
                        .append(indent(r.problems, 40));
            }
            b.append("\nserver log: ").append(log.summary()).append("\npage logs: ").append(logDir);
            throw new AssertionError(b.toString());
        }
    }

    List<StepResult> results() {
        return List.copyOf(results);
    }

    ServerLog serverLog() {
        return log;
    }

    // ------------------------------------------------------------------ observing

    /** What the pages showed in one observation (about 2 s), and everything that was not as it should be. */
    private record Verdict(List<String> problems, Set<Participant> pagesWithProblems, int pairsPlaying, int pairs,
                           List<Integer> framesPerTile) {
        /** "median 31, lowest 22 frames decoded per tile in 2 s" (the source sends about 40). */
        String smoothness() {
            if (framesPerTile.isEmpty()) {
                return "no video tiles";
            }
            List<Integer> f = framesPerTile.stream().sorted().toList();
            return "frames decoded per tile in 2 s: median " + f.get(f.size() / 2) + ", lowest " + f.get(0);
        }
    }

    /** Samples every page in the room in parallel over a 2 s window and checks it against what it should show. */
    private Verdict observe() {
        Map<Participant, CompletableFuture<JsonNode>> probes = new LinkedHashMap<>();
        for (Participant p : participants) {
            if (p.status != Status.GONE) {
                probes.put(p, driver.send(JSON.createObjectNode().put("cmd", "eval").put("page", p.label).put("expr", PROBE)));
            }
        }
        List<String> problems = new ArrayList<>();
        Set<Participant> troubled = new LinkedHashSet<>();
        Map<Participant, JsonNode> seen = new LinkedHashMap<>();
        for (var e : probes.entrySet()) {
            try {
                seen.put(e.getKey(), Driver.await(e.getValue()));
            } catch (RuntimeException ex) {
                problems.add(e.getKey() + ": the page could not be read: " + ex.getMessage());
                troubled.add(e.getKey());
            }
        }
        List<Participant> inRoom = participants.stream().filter(p -> p.status == Status.IN_ROOM).toList();
        // Who is who: a page in the room shows its own id on its local tile.
        for (Participant p : inRoom) {
            JsonNode page = seen.get(p);
            if (page == null) {
                continue;
            }
            for (JsonNode t : page.path("tiles")) {
                if (t.path("local").asBoolean() && !t.path("peerId").asText("").isEmpty()
                        && "joined".equals(page.path("state").asText())) {
                    String id = t.path("peerId").asText();
                    p.msid = t.path("msid").asText(null);
                    if (p.peerId == null) {
                        p.peerId = id;
                    } else if (!p.peerId.equals(id)) {
                        problems.add(p + " came back as peer '" + id + "' instead of its own seat '" + p.peerId + "'");
                        troubled.add(p);
                    }
                }
            }
        }
        // Identity: everyone has their own id, and it is not the typed name (issue 12 point 4).
        Map<String, List<Participant>> byId = inRoom.stream().filter(p -> p.peerId != null)
                .collect(Collectors.groupingBy(p -> p.peerId, LinkedHashMap::new, Collectors.toList()));
        byId.forEach((id, ps) -> {
            if (ps.size() > 1) {
                problems.add("identity: " + ps + " all have peer id '" + id + "'");
            }
        });
        for (Participant p : inRoom) {
            if (p.peerId != null && p.peerId.equals(p.name)) {
                problems.add("identity: " + p + "'s peer id is the typed name '" + p.name
                        + "' (contract: a stable per-browser random id)");
            }
        }
        int[] pairs = new int[2];
        List<Integer> frames = new ArrayList<>();
        for (var e : seen.entrySet()) {
            int before = problems.size();
            checkPage(e.getKey(), e.getValue(), inRoom, problems, pairs, frames);
            if (problems.size() > before) {
                troubled.add(e.getKey());
            }
        }
        checkOperatorView(inRoom, problems);
        if (log.errorCount() > serverErrorsBefore) {
            problems.add("server log: " + (log.errorCount() - serverErrorsBefore) + " new ERROR line(s): "
                    + log.errorSummary(serverErrorsBefore, 5));
        }
        if (!problems.isEmpty()) {
            // Not a check: what each publisher was sending meanwhile, to tell a starved encoder from a lost stream.
            List<String> sending = new ArrayList<>();
            for (Participant p : inRoom) {
                JsonNode page = seen.get(p);
                for (JsonNode t : page == null ? List.<JsonNode>of() : iterable(page.path("tiles"))) {
                    if (t.path("local").asBoolean()) {
                        sending.add(p + " " + describeSending(t) + ", " + page.path("media").asText());
                    }
                }
            }
            problems.add("(figures, not a check) " + String.join("; ", sending));
        }
        return new Verdict(problems, troubled, pairs[0], pairs[1], frames);
    }

    /** Checks one page; {@code pairs} counts [tiles as they should be, tiles expected]. */
    private void checkPage(Participant p, JsonNode page, List<Participant> inRoom, List<String> problems, int[] pairs,
                           List<Integer> frames) {
        List<JsonNode> errors = iterable(page.path("errors"));
        List<JsonNode> pageErrors = iterable(page.path("pageErrors"));
        p.errorsSeen = errors.size();
        p.pageErrorsSeen = pageErrors.size();
        for (JsonNode e : errors.subList(Math.min(p.errorsBefore, errors.size()), errors.size())) {
            problems.add(p + " shows an error the server reported: " + e.asText());
        }
        for (JsonNode e : pageErrors.subList(Math.min(p.pageErrorsBefore, pageErrors.size()), pageErrors.size())) {
            problems.add(p + " page error: " + e.asText());
        }
        String state = page.path("state").asText();
        if (p.status == Status.LEFT) {
            if (!"left".equals(state) || !"join".equals(page.path("view").asText())) {
                problems.add(p + " left the room but its page is in state '" + state + "', view '" + page.path("view").asText() + "'");
            }
            return;
        }
        if (!"joined".equals(state)) {
            pairs[1] += inRoom.size() - 1;
            problems.add(p + " is not in the room: state '" + state + "', view '" + page.path("view").asText() + "'"
                    + (page.path("notice").asText("").isEmpty() ? "" : ", notice \"" + page.path("notice").asText() + "\"")
                    + (page.path("joinError").asText("").isEmpty() ? "" : ", join error \"" + page.path("joinError").asText() + "\"")
                    + " [" + page.path("media").asText() + "]");
            return;
        }
        List<JsonNode> locals = new ArrayList<>();
        Map<String, List<JsonNode>> remote = new LinkedHashMap<>();
        for (JsonNode t : page.path("tiles")) {
            if (t.path("local").asBoolean()) {
                locals.add(t);
            } else {
                remote.computeIfAbsent(t.path("peerId").asText(""), k -> new ArrayList<>()).add(t);
            }
        }
        if (locals.size() != 1) {
            problems.add(p + " shows " + locals.size() + " local tiles");
        } else {
            checkTile(p, "its own tile", locals.get(0), p, true, problems);
        }
        for (Participant other : inRoom) {
            if (other == p) {
                continue;
            }
            pairs[1]++;
            if (other.peerId == null) {
                problems.add(p + " cannot be checked for " + other + ": " + other + " has not joined");
                continue;
            }
            List<JsonNode> tiles = remote.remove(other.peerId);
            if (tiles == null) {
                problems.add(p + " has no tile for " + other);
            } else if (tiles.size() > 1) {
                problems.add(p + " shows " + tiles.size() + " tiles for " + other + ": " + tiles.stream()
                        .map(t -> t.path("msid").asText() + "/" + t.path("state").asText()).toList());
            } else {
                if (checkTile(p, "the tile of " + other, tiles.get(0), other, false, problems)) {
                    pairs[0]++;
                }
                if (other.camera) {
                    frames.add(tiles.get(0).path("framesDecoded").asInt());
                }
            }
        }
        remote.forEach((id, tiles) -> {
            for (JsonNode t : tiles) {
                problems.add(p + " still shows a tile for peer '" + id + "' (" + t.path("label").asText() + ", "
                        + t.path("state").asText() + ") who is not in the room");
            }
        });
    }

    /** Checks one tile against what its person does; adds one line with everything that is off. Returns true if all is well. */
    private static boolean checkTile(Participant viewer, String what, JsonNode t, Participant who, boolean local, List<String> problems) {
        List<String> off = new ArrayList<>();
        String state = t.path("state").asText(null);
        String expectedState = who.camera ? "live" : "camera-off";
        if (!expectedState.equals(state)) {
            off.add("data-state '" + state + "' instead of '" + expectedState + "'"
                    + (t.path("status").asText("").isEmpty() ? "" : " (shows \"" + t.path("status").asText() + "\")"));
        }
        String audio = t.path("audio").isNull() ? null : t.path("audio").asText(null);
        String expectedAudio = who.mic && !who.operatorMutedAudio ? "on" : "muted";
        if (!expectedAudio.equals(audio)) {
            off.add("data-audio " + (audio == null ? "missing" : "'" + audio + "'") + " instead of '" + expectedAudio + "'");
        }
        String name = t.path("name").isNull() ? null : t.path("name").asText(null);
        if (!who.name.equals(name)) {
            off.add("data-name " + (name == null ? "missing" : "'" + name + "'") + " instead of '" + who.name + "'");
        }
        String msid = t.path("msid").asText(null);
        if (!local && who.msid != null && !who.msid.equals(msid)) {
            off.add("data-msid '" + msid + "' instead of the stream " + who + " publishes ('" + who.msid + "')");
        }
        if (!local && who.camera) {
            double advance = t.path("timeAdvance").asDouble(0);
            int frames = t.path("framesDecoded").asInt(0);
            if (t.path("width").asInt(0) == 0 || advance < 1.0 || frames < 5) {
                off.add("no moving video");
            }
        }
        if (!local && who.mic && !who.operatorMutedAudio && t.path("audioPackets").asInt(0) <= 0) {
            off.add("no audio packets");
        }
        if (off.isEmpty()) {
            return true;
        }
        problems.add(viewer + ": " + what + ": " + String.join("; ", off) + (local ? "" : describeMedia(t)));
        return false;
    }

    /** A remote tile's media over the 2 s window: what a person sees, and where the frames stopped if they did. */
    private static String describeMedia(JsonNode t) {
        return String.format(Locale.ROOT, " [<video> %dx%d, currentTime +%.1f s; receiver: video packets +%d, lost +%d, "
                        + "framesDecoded +%d, key frames +%d, NACK +%d, PLI +%d, freezes +%d; audio packets +%d; track muted %s]",
                t.path("width").asInt(), t.path("height").asInt(), t.path("timeAdvance").asDouble(),
                t.path("videoPackets").asInt(), t.path("lost").asInt(), t.path("framesDecoded").asInt(),
                t.path("keyFrames").asInt(), t.path("nacks").asInt(), t.path("plis").asInt(), t.path("freezes").asInt(),
                t.path("audioPackets").asInt(), t.path("videoTrackMuted").asText("?"));
    }

    /** What a page sends (its local tile): frames encoded over the window, size, and what limits the encoder. */
    private static String describeSending(JsonNode local) {
        return String.format(Locale.ROOT, "sends %d frames/2 s at width %d (limited by %s)", local.path("framesEncoded").asInt(),
                local.path("sendWidth").asInt(), local.path("limitation").asText("?"));
    }

    /** The operator's console lists exactly the people in the room, each with one stream muted as they chose. */
    private void checkOperatorView(List<Participant> inRoom, List<String> problems) {
        RoomSnapshot snap = server.server().admin().snapshot().rooms().stream()
                .filter(r -> r.id().equals(room)).findFirst().orElse(null);
        Set<String> expected = inRoom.stream().map(p -> p.peerId).filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
        Set<String> actual = new TreeSet<>();
        if (snap != null) {
            for (PeerSnapshot peer : snap.peers()) {
                actual.add(peer.id());
                Participant p = inRoom.stream().filter(x -> peer.id().equals(x.peerId)).findFirst().orElse(null);
                if (peer.streams().size() != 1) {
                    problems.add("operator view: " + (p == null ? "peer '" + peer.id() + "'" : p) + " has "
                            + peer.streams().size() + " streams: " + peer.streams().stream().map(StreamSnapshot::msid).toList());
                } else if (p != null) {
                    // The console shows what the person's buttons and the operator's mute say.
                    StreamSnapshot s = peer.streams().get(0);
                    boolean audioOff = !p.mic || p.operatorMutedAudio;
                    if (s.audioMuted() != audioOff || s.videoMuted() == p.camera || s.audioMutedByOperator() != p.operatorMutedAudio) {
                        problems.add("operator view: " + p + "'s stream says audio " + (s.audioMuted() ? "muted" : "on")
                                + (s.audioMutedByOperator() ? " (by the operator)" : "") + ", video " + (s.videoMuted() ? "off" : "on")
                                + "; expected audio " + (audioOff ? "muted" : "on") + (p.operatorMutedAudio ? " (by the operator)" : "")
                                + ", video " + (p.camera ? "on" : "off"));
                    }
                }
            }
        }
        if (!expected.equals(actual)) {
            problems.add("operator view: the room lists peers " + actual + ", expected " + expected);
        }
    }

    /** What a page reports in one sample, including a 2 s window of its media. */
    /**
     * What a page shows and plays over a 2 s window. One getStats() per page and sample (receiver.getStats() would
     * gather the whole report once per track, a real load with eight pages on two cores).
     */
    private static final String PROBE = """
            (async () => {
              const rd = window.roomdeck;
              const pc = rd && rd.client && rd.client.peerConnection;
              const tracks = t => {
                const v = t.querySelector('video');
                const s = v && v.srcObject;
                return { v, vt: s && s.getVideoTracks ? s.getVideoTracks()[0] : null, at: s && s.getAudioTracks ? s.getAudioTracks()[0] : null };
              };
              const sample = async () => {
                const inbound = new Map();
                const out = { framesEncoded: 0, frameWidth: 0, limitation: null };
                let dtls = null;
                if (pc) {
                  (await pc.getStats()).forEach(r => {
                    if (r.type === 'inbound-rtp' && r.trackIdentifier) inbound.set(r.trackIdentifier, r);
                    if (r.type === 'outbound-rtp' && r.kind === 'video') {
                      out.framesEncoded += r.framesEncoded || 0;
                      out.frameWidth = r.frameWidth || out.frameWidth;
                      out.limitation = r.qualityLimitationReason || out.limitation;
                    }
                    if (r.type === 'transport') dtls = r.dtlsState || dtls;
                  });
                }
                const m = new Map();
                for (const t of document.querySelectorAll('.tile')) {
                  const { v, vt, at } = tracks(t);
                  m.set(t, { time: v ? v.currentTime : 0, v: (vt && inbound.get(vt.id)) || {}, a: (at && inbound.get(at.id)) || {} });
                }
                return { tiles: m, out, dtls };
              };
              const a = await sample();
              await new Promise(r => setTimeout(r, 2000));
              const b = await sample();
              const text = id => { const e = document.getElementById(id); return e && !e.hidden ? e.textContent.trim() : ''; };
              const tiles = [...document.querySelectorAll('.tile')].map(t => {
                const x = a.tiles.get(t) || { time: 0, v: {}, a: {} }, y = b.tiles.get(t) || x;
                const d = (o, k) => (y[o][k] || 0) - (x[o][k] || 0);
                const local = t.classList.contains('local');
                const { v, vt } = tracks(t);
                const st = t.querySelector('.status');
                return {
                  local,
                  peerId: t.dataset.peerId ?? null, msid: t.dataset.msid ?? null, name: t.dataset.name ?? null,
                  state: t.dataset.state ?? null, audio: t.dataset.audio ?? null,
                  label: (t.querySelector('.name') || {}).textContent || '',
                  status: st && !st.hidden ? st.textContent.trim() : '',
                  width: v ? v.videoWidth : 0, height: v ? v.videoHeight : 0,
                  timeAdvance: y.time - x.time,
                  framesDecoded: d('v', 'framesDecoded'), videoPackets: d('v', 'packetsReceived'),
                  keyFrames: d('v', 'keyFramesDecoded'), nacks: d('v', 'nackCount'), plis: d('v', 'pliCount'),
                  lost: d('v', 'packetsLost'), freezes: d('v', 'freezeCount'),
                  audioPackets: d('a', 'packetsReceived'),
                  framesEncoded: local ? b.out.framesEncoded - a.out.framesEncoded : 0,
                  sendWidth: local ? b.out.frameWidth : 0, limitation: local ? b.out.limitation : null,
                  videoTrackMuted: vt ? vt.muted : null,
                };
              });
              const cam = rd && rd.client && rd.client.localStream ? rd.client.localStream.getVideoTracks()[0] : null;
              const media = pc ? 'pc ' + pc.connectionState + ', ICE ' + pc.iceConnectionState + ', DTLS ' + b.dtls + ', signaling ' + pc.signalingState
                  + ', camera ' + (cam ? cam.readyState + (cam.muted ? ' (muted)' : '') : 'none') : 'no peer connection';
              const errors = rd ? rd.errors.map(e => e && typeof e === 'object' ? JSON.stringify({ ...e, message: e.message }) : String(e)) : ['no window.roomdeck'];
              return {
                state: rd ? rd.state : null, view: document.body.dataset.view, url: location.href, media,
                notice: text('join-notice-text'), joinError: text('join-error'),
                errors, pageErrors: window.__pageErrors ? Array.from(window.__pageErrors, String) : ['no error collector on this page'],
                tiles,
              };
            })()
            """;

    // ------------------------------------------------------------------ logs and figures

    private String pageLogsOf(Collection<Participant> pages) {
        StringBuilder b = new StringBuilder();
        for (Participant p : pages) {
            List<String> lines = p.consoleLog();
            List<String> notable = lines.stream()
                    .filter(l -> l.matches("(?i).*(error|fail|refus|warn|exception|renegotiat).*")).toList();
            b.append("  console of ").append(p).append(" (").append(lines.size()).append(" lines, notable ones last 12):\n");
            notable.subList(Math.max(0, notable.size() - 12), notable.size())
                    .forEach(l -> b.append("    ").append(l.length() > 400 ? l.substring(0, 400) + "…" : l).append('\n'));
        }
        return b.toString();
    }

    private void savePageLogs() {
        for (Participant p : participants) {
            if (p.status == Status.GONE && p.logSaved) {
                continue;
            }
            try {
                Files.write(logDir.resolve(p.label + "-" + p.name.replaceAll("[^A-Za-z0-9]", "_") + ".log"), p.consoleLog());
                if (p.status == Status.GONE) {
                    p.logSaved = true;
                }
            } catch (IOException | RuntimeException e) {
                // the page may be gone; its log then stays as last written
            }
        }
        try {
            Files.write(logDir.resolve("server-warnings.log"), log.lines());
            Files.write(logDir.resolve("server.log"), log.infoLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Busy and total jiffies of all CPUs (/proc/stat), to tell how loaded the machine was during a step. */
    private static long[] cpuTicks() {
        // /proc/stat's first line: cpu user nice system idle iowait irq softirq steal ...
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU ticks used so far by each browser process (with all their children), by this JVM (key 0), and when. */
    private Map<Long, Long> processTicks() {
        Map<Long, Long> ticks = new LinkedHashMap<>();
        for (long pid : driver.browserPids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                ticks.put(pid, ticksOf(pid));
                h.descendants().forEach(d -> ticks.put(d.pid(), ticksOf(d.pid())));
            });
        }
        ticks.put(0L, ticksOf(ProcessHandle.current().pid()));
        ticks.put(-1L, System.nanoTime());
        return ticks;
    }

    private static long ticksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0; // gone meanwhile
        }
    }

    /** "97% busy (browsers 1.6 cores, server JVM 0.3)": the machine, and who used it, over a step. */
    private String cpuBusy(long[] since, Map<Long, Long> procsSince) {
        long[] now = cpuTicks();
        Map<Long, Long> procs = processTicks();
        if (since == null || now == null || now[1] == since[1]) {
            return "?";
        }
        double wallTicks = (procs.get(-1L) - procsSince.get(-1L)) / 1e9 * 100; // USER_HZ is 100 on Linux
        long browsers = 0;
        for (var e : procs.entrySet()) {
            // Processes that started during the step count whole; those that ended during it are lost (a tab closed).
            if (e.getKey() > 0) {
                browsers += e.getValue() - procsSince.getOrDefault(e.getKey(), 0L);
            }
        }
        return String.format(Locale.ROOT, "%d%% busy (browsers %.1f cores, server JVM %.1f)",
                Math.round(100.0 * (now[0] - since[0]) / (now[1] - since[1])),
                browsers / wallTicks, (procs.get(0L) - procsSince.get(0L)) / wallTicks);
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1];
        } catch (IOException e) {
            return "?";
        }
    }

    static void say(String line) {
        System.out.println(LocalTime.now().format(CLOCK) + " [meeting] " + line);
    }

    private static String indent(List<String> lines, int max) {
        StringBuilder b = new StringBuilder();
        lines.stream().limit(max).forEach(l -> b.append("    ").append(l).append('\n'));
        if (lines.size() > max) {
            b.append("    … and ").append(lines.size() - max).append(" more\n");
        }
        return b.toString();
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** The page error collector every browser test uses: Browser's, so there is one collector, not copies. */
    /**
     * Firefox under the driver opens every page as a tab of one window, so all but the front tab are hidden
     * ({@code document.visibilityState}), and the bundled page asks for no video while hidden (videoSize 0x0), as it
     * should for a tab in the background. Each participant here stands for a person looking at their own screen: the
     * page is told it is visible.
     */
    private static final String SEEN_AS_VISIBLE = """
            ;(() => {
              Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => 'visible' });
              Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => false });
              document.addEventListener('visibilitychange', e => e.stopImmediatePropagation(), true);
            })();
            """;

    static String errorCollector() {
        try {
            Field f = Browser.class.getDeclaredField("ERROR_COLLECTOR");
            f.setAccessible(true);
            return (String) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Browser.ERROR_COLLECTOR is needed for the pages' error collector", e);
        }
    }

    private static ObjectNode click(Participant p, String selector) {
        return JSON.createObjectNode().put("cmd", "click").put("page", p.label).put("selector", selector);
    }

    @Override
    public void close() throws Exception {
        try {
            savePageLogs();
        } catch (RuntimeException ignored) {
            // best effort
        }
        try {
            driver.close();
        } finally {
            try {
                server.close();
            } finally {
                log.detach();
            }
        }
    }

    // ------------------------------------------------------------------ participants

    enum Status { NOT_JOINED, IN_ROOM, LEFT, GONE }

    /** One person with one page (one browser context). What they do goes through the page's own controls. */
    static final class Participant {
        private final Meeting meeting;
        final String label;
        final String name;
        final Engine engine;
        private volatile String peerId;
        /** The stream this page publishes, from its local tile's data-msid at the last look. */
        private volatile String msid;
        private Status status = Status.NOT_JOINED;
        private boolean camera = true;
        private boolean mic = true;
        private boolean operatorMutedAudio;
        private boolean logSaved;
        /** Errors on the page (window.roomdeck.errors, the collector's) at the last look, and before this step. */
        private int errorsSeen;
        private int pageErrorsSeen;
        private int errorsBefore;
        private int pageErrorsBefore;

        private Participant(Meeting meeting, String label, String name, Engine engine) {
            this.meeting = meeting;
            this.label = label;
            this.name = name;
            this.engine = engine;
        }

        /** Saves what the page shows now as {@code target/meeting-logs/<test>/<fileName>} (PNG); returns the file. */
        Path screenshot(String fileName) {
            Path file = meeting.logDir.resolve(fileName);
            meeting.driver.call(JSON.createObjectNode().put("cmd", "screenshot").put("page", label)
                    .put("path", file.toString()));
            return file;
        }

        /** The user id this page joined with (its local tile's data-peer-id), once it has joined. */
        String peerId() {
            return peerId;
        }

        private void typeName() {
            meeting.driver.call(JSON.createObjectNode().put("cmd", "type").put("page", label)
                    .put("selector", "#name-input").put("text", name));
        }

        private void clickJoin() {
            status = Status.IN_ROOM;
            meeting.driver.call(click(this, "#join-button"));
        }

        /** Types the name into the join form and clicks Join. */
        void join() {
            typeName();
            clickJoin();
        }

        /** Reloads the page (the browser's reload) and joins again through the form, as a person would. */
        void reloadAndJoinAgain() {
            meeting.driver.call(JSON.createObjectNode().put("cmd", "reload").put("page", label));
            errorsBefore = 0; // a new document: its errors are all new
            pageErrorsBefore = 0;
            String url = String.valueOf(js("location.href"));
            say("  " + this + " reloaded " + url);
            join();
        }

        /** Clicks the Leave button. */
        void leave() {
            meeting.driver.call(click(this, "#leave-button"));
            status = Status.LEFT;
        }

        /** Clicks the page's own camera and microphone buttons (both toggle). */
        void turnCameraAndMicrophone(boolean on) {
            meeting.driver.call(click(this, "#cam-button"));
            meeting.driver.call(click(this, "#mic-button"));
            camera = on;
            mic = on;
        }

        /** Closes the tab without the page saying goodbye (no pagehide): the server sees the connection drop. */
        void closeTabAbruptly() {
            savedLog = consoleLog();
            meeting.driver.call(JSON.createObjectNode().put("cmd", "close").put("page", label).put("abrupt", true));
            status = Status.GONE;
        }

        private List<String> savedLog = List.of();

        /** The msid this page publishes (its local tile's data-msid). */
        String publishedMsid() {
            return String.valueOf(js("document.querySelector('.tile.local').dataset.msid"));
        }

        /** The value of a JS expression on this page. */
        Object js(String expression) {
            JsonNode v = meeting.driver.call(JSON.createObjectNode().put("cmd", "eval").put("page", label).put("expr", expression));
            return v.isTextual() ? v.asText() : v.isNull() ? null : v.toString();
        }

        /** Every console line of this page so far (kept by the driver across reloads). */
        List<String> consoleLog() {
            if (status == Status.GONE) {
                return savedLog;
            }
            List<String> out = new ArrayList<>();
            meeting.driver.call(JSON.createObjectNode().put("cmd", "log").put("page", label)).forEach(l -> out.add(l.asText()));
            return out;
        }

        @Override
        public String toString() {
            return name + "(" + label + ")";
        }
    }

    /** One step's outcome: green in time or not, after how long, what was off, and the machine's figures. */
    record StepResult(int number, String description, boolean green, double greenAfter, List<String> problems,
                      int tilesRight, int tiles, String cpu, String load) {}

    // ------------------------------------------------------------------ the server's log

    /** Every WARN and ERROR the server logs while the meeting runs (a Logback appender on the root logger), and its INFO lines for server.log. */
    static final class ServerLog extends AppenderBase<ILoggingEvent> {
        private final List<ILoggingEvent> events = new ArrayList<>();
        /** Every INFO line too, for the saved server.log (what happened to whom, when). */
        private final List<String> info = new ArrayList<>();
        private final AtomicLong errors = new AtomicLong();
        private final AtomicLong warnings = new AtomicLong();

        static ServerLog attach() {
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            ServerLog a = new ServerLog();
            a.setContext(root.getLoggerContext());
            a.setName("meeting-test");
            a.start();
            root.addAppender(a);
            return a;
        }

        void detach() {
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(this);
            stop();
        }

        @Override
        protected void append(ILoggingEvent e) {
            if (!e.getLevel().isGreaterOrEqual(Level.INFO)) {
                return;
            }
            synchronized (info) {
                if (info.size() < 20_000) {
                    info.add(line(e));
                }
            }
            if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
                return;
            }
            (e.getLevel().isGreaterOrEqual(Level.ERROR) ? errors : warnings).incrementAndGet();
            e.prepareForDeferredProcessing();
            synchronized (events) {
                if (events.size() < 20_000) {
                    events.add(e);
                }
            }
        }

        long errorCount() {
            return errors.get();
        }

        long warningCount() {
            return warnings.get();
        }

        /** ERROR lines after the first {@code skip}, grouped by message pattern: count, logger, first example. */
        String errorSummary(long skip, int max) {
            return grouped(Level.ERROR, skip, max);
        }

        String summary() {
            return errors.get() + " ERROR, " + warnings.get() + " WARN" + (errors.get() + warnings.get() == 0 ? ""
                    : "\n  ERROR: " + grouped(Level.ERROR, 0, 10) + "\n  WARN: " + grouped(Level.WARN, 0, 10));
        }

        private String grouped(Level level, long skip, int max) {
            Map<String, List<ILoggingEvent>> groups = new LinkedHashMap<>();
            long n = 0;
            synchronized (events) {
                for (ILoggingEvent e : events) {
                    if (e.getLevel() == level && n++ >= skip) {
                        groups.computeIfAbsent(e.getLoggerName() + ": " + pattern(e.getMessage()), k -> new ArrayList<>()).add(e);
                    }
                }
            }
            if (groups.isEmpty()) {
                return "none";
            }
            return groups.entrySet().stream().limit(max)
                    .map(g -> g.getValue().size() + "× " + line(g.getValue().get(0)))
                    .collect(Collectors.joining("\n    ", "\n    ", groups.size() > max ? "\n    … " + (groups.size() - max) + " more kinds" : ""));
        }

        /** A message with its numbers masked, so per-packet lines group together. */
        private static String pattern(String message) {
            return message == null ? "" : message.replaceAll("\\d+", "N");
        }

        /** The whole log at INFO and above, in order of arrival, as saved in server.log. */
        List<String> infoLines() {
            synchronized (info) {
                return List.copyOf(info);
            }
        }

        List<String> lines() {
            synchronized (events) {
                return events.stream().map(ServerLog::line).toList();
            }
        }

        private static String line(ILoggingEvent e) {
            IThrowableProxy t = e.getThrowableProxy();
            String m = e.getFormattedMessage();
            if (m != null && m.length() > 500) {
                m = m.substring(0, 500) + "…";
            }
            return java.time.Instant.ofEpochMilli(e.getTimeStamp()).atZone(java.time.ZoneId.systemDefault()).toLocalTime()
                    .format(CLOCK) + " " + e.getLevel() + " [" + e.getThreadName() + "] " + e.getLoggerName() + " - " + m
                    + (t == null ? "" : " (" + t.getClassName() + ": " + t.getMessage() + ")");
        }
    }

    // ------------------------------------------------------------------ the Node driver

    /** server/src/test/node/browsers.js in a Node process: JSON commands on stdin, answers by id on stdout. */
    static final class Driver implements AutoCloseable {
        private final Process process;
        private final Writer stdin;
        private final Path stderr;
        private final AtomicLong ids = new AtomicLong();
        private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        final List<Long> browserPids = new ArrayList<>();

        private Driver(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::read, "meeting-driver-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Driver start() throws IOException {
            Path err = Files.createTempFile("meeting-driver", ".err");
            ProcessBuilder pb = new ProcessBuilder("node", "browsers.js").directory(nodeProject().toFile())
                    .redirectError(err.toFile());
            pb.environment().put("PUPPETEER_SKIP_DOWNLOAD", "1");
            return new Driver(pb.start(), err);
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (IOException e) {
                        continue; // not ours (a library printing to stdout)
                    }
                    CompletableFuture<JsonNode> f = n.has("id") ? pending.remove(n.get("id").asLong()) : null;
                    if (f == null) {
                        continue;
                    }
                    if (n.has("error")) {
                        f.completeExceptionally(new IllegalStateException(n.get("error").asText()));
                    } else {
                        f.complete(n.get("ok"));
                    }
                }
            } catch (IOException e) {
                // the process ended
            } finally {
                IllegalStateException gone = new IllegalStateException("the browser driver ended; its stderr: " + stderrText());
                pending.values().forEach(f -> f.completeExceptionally(gone));
            }
        }

        CompletableFuture<JsonNode> send(ObjectNode command) {
            long id = ids.incrementAndGet();
            command.put("id", id);
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            try {
                synchronized (stdin) {
                    stdin.write(command.toString() + "\n");
                    stdin.flush();
                }
            } catch (IOException e) {
                pending.remove(id);
                f.completeExceptionally(new IllegalStateException("the browser driver is gone; its stderr: " + stderrText(), e));
            }
            return f;
        }

        JsonNode call(ObjectNode command) {
            return await(send(command));
        }

        static JsonNode await(CompletableFuture<JsonNode> f) {
            try {
                return f.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("no answer from the browser driver in " + COMMAND_TIMEOUT.toSeconds() + " s", e);
            }
        }

        private String stderrText() {
            try {
                String s = Files.readString(stderr);
                return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
            } catch (IOException e) {
                return "(unreadable)";
            }
        }

        @Override
        public void close() throws Exception {
            try {
                stdin.close(); // browsers.js closes every browser and exits when its stdin ends
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            // Whatever is left of the browsers we started (and only those), by PID.
            for (long pid : browserPids) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
            }
            Files.deleteIfExists(stderr);
        }
    }
}
