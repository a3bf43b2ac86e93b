package dev.roomdeck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.auth.TokenException;
import dev.roomdeck.client.ClientAnswer;
import dev.roomdeck.client.ClientOffer;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.config.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * A real RoomDeck server on 127.0.0.1 with free ports, a throw-away data folder and a known appkey, and real
 * clients that join it (signalling only, or {@link MediaClient}s with real media): the fixture of the server's
 * tests and, through the server's test-jar, of the console's. Closing it closes every client it made, stops the
 * server and deletes the data folder.
 */
public final class TestServer implements AutoCloseable {
    public static final String APPKEY = "test";
    public static final String SECRET = "test-secret-that-is-long-enough-for-hs256!";
    public static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RoomDeckServer server;
    private final Path dataDir;
    private final List<SignalClient> clients = new CopyOnWriteArrayList<>();
    private final List<MediaClient> mediaClients = new CopyOnWriteArrayList<>();
    private volatile boolean answersOffers = true;

    private TestServer(RoomDeckServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestServer start() throws Exception {
        return start(c -> c);
    }

    public static TestServer start(UnaryOperator<ServerConfig> tweak) throws Exception {
        Path dir = Files.createTempDirectory("roomdeck-test");
        ServerConfig config = tweak.apply(ServerConfig.defaults()
                .withBind("127.0.0.1").withPorts(0, 0).withDataDir(dir).withAppKeys(Map.of(APPKEY, SECRET)));
        return new TestServer(RoomDeckServer.start(config), dir);
    }

    /**
     * From now on this fixture's joins act as RTCEngine's SDKs, which never answer a server offer: no
     * {@code answersOffers}, and the server treats them as it treats those SDKs (the console's tests join so).
     * Returns this.
     */
    public TestServer sdkClients() {
        answersOffers = false;
        return this;
    }

    public RoomDeckServer server() {
        return server;
    }

    public URI ws() {
        return ws(server);
    }

    private static URI ws(RoomDeckServer server) {
        return URI.create("ws://127.0.0.1:" + server.httpPort() + "/ws");
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + path);
    }

    public String token(String room, String user) throws TokenException {
        return token(server, room, user);
    }

    private static String token(RoomDeckServer server, String room, String user) throws TokenException {
        return server.tokens().issue(APPKEY, room, user, Duration.ofMinutes(5));
    }

    public SignalClient connect() throws Exception {
        SignalClient c = SignalClient.connect(ws());
        clients.add(c);
        return c;
    }

    /**
     * A join message's data for this room and user with a valid token and the given offer, from a client that
     * answers server offers ({@code answersOffers}; remove it to act as RTCEngine's SDKs, which never answer, as
     * every join does after {@link #sdkClients()}).
     */
    public ObjectNode joinData(String room, String user, String sdp) throws TokenException {
        return joinData(server, room, user, sdp, answersOffers, null);
    }

    private static ObjectNode joinData(RoomDeckServer server, String room, String user, String sdp,
            boolean answersOffers, ObjectNode attributes) throws TokenException {
        ObjectNode d = JSON.createObjectNode();
        d.put("appkey", APPKEY);
        d.put("room", room);
        d.put("user", user);
        d.put("token", token(server, room, user));
        d.put("planb", false);
        if (answersOffers) {
            d.put("answersOffers", true);
        }
        d.put("sdp", sdp);
        if (attributes != null) {
            d.set("attributes", attributes);
        }
        return d;
    }

    /** Connects and joins with an offer that publishes one audio+video stream per msid; returns after joined. */
    public SignalClient joinPublishing(String room, String user, String... msids) throws Exception {
        return joinWith(room, user, null, msids);
    }

    /** Connects and joins receive-only (an offer without m-sections). */
    public SignalClient joinWatching(String room, String user) throws Exception {
        return joinWith(room, user, null);
    }

    /**
     * Joins as the bundled web client does: a random per-browser user id and the typed name in the join
     * attributes; publishes one audio+video stream per msid (none: receive only). Returns once joined.
     */
    public SignalClient joinNamed(String room, String user, String name, String... msids) throws Exception {
        return joinWith(room, user, object().put("name", name), msids);
    }

    /** Joins with these join attributes (e.g. name and device; null: none); returns once joined. */
    public SignalClient joinWith(String room, String user, ObjectNode attributes, String... msids) throws Exception {
        String sdp = msids.length == 0 ? emptyOffer() : offer(msids);
        SignalClient c = join(server, joinData(server, room, user, sdp, answersOffers, attributes));
        clients.add(c);
        return c;
    }

    /**
     * Sends a valid receive-only join with the typed name and returns at once, without waiting for joined: at a
     * locked door the answer is lobby, then joined or error join-refused.
     */
    public SignalClient knock(String room, String user, String name) throws Exception {
        SignalClient c = connect();
        c.send("join", joinData(server, room, user, emptyOffer(), answersOffers, object().put("name", name)));
        return c;
    }

    /**
     * Joins any server that has the test appkey (e.g. one the settings restart) as RTCEngine's SDKs do, over
     * ws:// on 127.0.0.1; returns once joined. The caller closes the client.
     */
    public static SignalClient join(RoomDeckServer server, String room, String user, String sdp) throws Exception {
        return join(server, joinData(server, room, user, sdp, false, null));
    }

    private static SignalClient join(RoomDeckServer server, ObjectNode data) throws Exception {
        SignalClient c = SignalClient.connect(ws(server));
        try {
            c.send("join", data);
            c.await("joined", WAIT);
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A Java client with real ICE/DTLS/SRTP, publishing one stream (or none when msid is null). */
    public MediaClient media(String room, String user, String msid) throws Exception {
        MediaClient c = MediaClient.join(ws(), APPKEY, room, user, token(room, user), msid, 1000);
        mediaClients.add(c);
        return c;
    }

    public static String emptyOffer() {
        return ClientOffer.write(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), 1,
                transport(), List.of(), "cname");
    }

    /** A Chromium-shaped offer publishing these streams, each audio + video (with RTX), mids 0, 1, 2, ... */
    public static String offer(String... msids) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<ClientOffer.Track> tracks = new ArrayList<>();
        int mid = 0;
        for (String msid : msids) {
            tracks.add(new ClientOffer.Track("audio", String.valueOf(mid++), msid, msid + "-audio", r.nextLong(1, 0xFFFFFFFFL), 0));
            tracks.add(new ClientOffer.Track("video", String.valueOf(mid++), msid, msid + "-video",
                    r.nextLong(1, 0xFFFFFFFFL), r.nextLong(1, 0xFFFFFFFFL)));
        }
        return ClientOffer.write(r.nextLong(1, Long.MAX_VALUE), 1, transport(), tracks, "cname-" + String.join("-", msids));
    }

    /** The data of a receive-only client's answer to a server offer. */
    public static ObjectNode answerTo(SignalClient.Received offer) throws Exception {
        ObjectNode d = JSON.createObjectNode();
        d.put("sdp", ClientAnswer.write(offer.data().get("sdp").asText(), transport(), List.of(), "watcher"));
        return d;
    }

    /** A made-up client transport (credentials and a fingerprint) for SDP written by tests. */
    public static ClientOffer.Transport transportForTests() {
        return transport();
    }

    static ClientOffer.Transport transport() {
        StringBuilder fp = new StringBuilder();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 32; i++) {
            fp.append(i == 0 ? "" : ":").append(String.format("%02X", r.nextInt(256)));
        }
        return new ClientOffer.Transport("uf" + r.nextInt(100000), "pwd-" + Long.toHexString(r.nextLong()) + "abcdefgh",
                fp.toString(), List.of());
    }

    public static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() throws Exception {
        for (MediaClient c : mediaClients) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what is left; the server stops anyway
            }
        }
        for (SignalClient c : clients) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what is left; the server stops anyway
            }
        }
        server.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
