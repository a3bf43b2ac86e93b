package dev.roomdeck.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.client.ClientOffer;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.config.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * A real RoomDeck server on 127.0.0.1 (free ports, a throw-away data folder, a known appkey) and real
 * WebSocket clients that join it: what the console's tests and the benchmark run against.
 */
public final class LiveServer implements AutoCloseable {
    static final String APPKEY = "console-test";
    static final String SECRET = "console-test-secret-long-enough-for-hs256";
    static final Duration WAIT = Duration.ofSeconds(3);

    private final RoomDeckServer server;
    private final Path dataDir;
    private final List<SignalClient> clients = new ArrayList<>();
    private final List<MediaClient> mediaClients = new ArrayList<>();

    private LiveServer(RoomDeckServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static LiveServer start() throws Exception {
        return start(c -> c);
    }

    public static LiveServer start(UnaryOperator<ServerConfig> tweak) throws Exception {
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        Path dir = Files.createTempDirectory("roomdeck-console-test");
        ServerConfig config = tweak.apply(ServerConfig.defaults().withBind("127.0.0.1").withPorts(0, 0)
                .withDataDir(dir).withAppKeys(Map.of(APPKEY, SECRET)));
        return new LiveServer(RoomDeckServer.start(config), dir);
    }

    public RoomDeckServer server() {
        return server;
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + server.httpPort() + "/ws");
    }

    /** Joins and publishes one audio+video stream per msid; returns once joined. */
    public SignalClient joinPublishing(String room, String user, String... msids) throws Exception {
        return join(room, user, offer(msids));
    }

    /**
     * Joins with RoomDeck's Java client with real ICE/DTLS/SRTP, publishing one audio+video stream (msid null:
     * receive only). Returns once joined; {@link MediaClient#awaitReady} waits for media.
     */
    public MediaClient joinMedia(String room, String user, String msid) throws Exception {
        MediaClient c = MediaClient.join(ws(), APPKEY, room, user,
                server.tokens().issue(APPKEY, room, user, Duration.ofMinutes(10)), msid, 1000);
        synchronized (clients) {
            mediaClients.add(c);
        }
        return c;
    }

    /** Joins receive-only (an offer without m-sections); returns once joined. */
    public SignalClient joinWatching(String room, String user) throws Exception {
        return join(room, user, offer());
    }

    /**
     * Joins as the bundled web client does: a random per-browser user id and the typed name in the join
     * attributes; publishes one audio+video stream per msid (none: receive only). Returns once joined.
     */
    public SignalClient joinNamed(String room, String user, String name, String... msids) throws Exception {
        ObjectNode attributes = JsonNodeFactory.instance.objectNode().put("name", name);
        SignalClient c = join(server, room, user, offer(msids), attributes);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** Joins with these join attributes (e.g. name and device); returns once joined. */
    public SignalClient joinWith(String room, String user, ObjectNode attributes, String... msids) throws Exception {
        SignalClient c = join(server, room, user, offer(msids), attributes);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /**
     * Sends a valid join with the typed name and returns at once, without waiting for joined: at a locked door
     * the answer is lobby, then joined or error join-refused.
     */
    public SignalClient knock(String room, String user, String name) throws Exception {
        SignalClient c = SignalClient.connect(ws());
        synchronized (clients) {
            clients.add(c);
        }
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("appkey", APPKEY);
        d.put("room", room);
        d.put("user", user);
        d.put("token", server.tokens().issue(APPKEY, room, user, Duration.ofMinutes(10)));
        d.put("planb", false);
        d.put("sdp", offer());
        d.set("attributes", JsonNodeFactory.instance.objectNode().put("name", name));
        c.send("join", d);
        return c;
    }

    private SignalClient join(String room, String user, String sdp) throws Exception {
        SignalClient c = join(server, room, user, sdp);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** Joins any server with the test appkey over plain ws:// on 127.0.0.1 (the caller closes the client). */
    static SignalClient join(RoomDeckServer server, String room, String user, String sdp) throws Exception {
        return join(server, room, user, sdp, null);
    }

    /** The same, with join attributes (null: none). */
    static SignalClient join(RoomDeckServer server, String room, String user, String sdp, ObjectNode attributes)
            throws Exception {
        SignalClient c = SignalClient.connect(URI.create("ws://127.0.0.1:" + server.httpPort() + "/ws"));
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("appkey", APPKEY);
        d.put("room", room);
        d.put("user", user);
        d.put("token", server.tokens().issue(APPKEY, room, user, Duration.ofMinutes(10)));
        d.put("planb", false);
        d.put("sdp", sdp);
        if (attributes != null) {
            d.set("attributes", attributes);
        }
        try {
            c.send("join", d);
            c.await("joined", WAIT);
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A unified-plan offer as RoomDeck's Java client writes it: audio + video per msid (none: receive-only). */
    static String offer(String... msids) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<ClientOffer.Track> tracks = new ArrayList<>();
        int mid = 0;
        for (String msid : msids) {
            tracks.add(new ClientOffer.Track("audio", String.valueOf(mid++), msid, msid + "-audio", r.nextLong(1, 0xFFFFFFFFL), 0));
            tracks.add(new ClientOffer.Track("video", String.valueOf(mid++), msid, msid + "-video",
                    r.nextLong(1, 0xFFFFFFFFL), r.nextLong(1, 0xFFFFFFFFL)));
        }
        StringBuilder fp = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            fp.append(i == 0 ? "" : ":").append(String.format("%02X", r.nextInt(256)));
        }
        ClientOffer.Transport transport = new ClientOffer.Transport("uf" + r.nextInt(100000),
                "pwd-" + Long.toHexString(r.nextLong()) + "abcdefgh", fp.toString(), List.of());
        return ClientOffer.write(r.nextLong(1, Long.MAX_VALUE), 1, transport, tracks, "cname-" + r.nextInt());
    }

    @Override
    public void close() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        synchronized (clients) {
            open.addAll(mediaClients);
            open.addAll(clients);
        }
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what is left; the server stops anyway
            }
        }
        server.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
