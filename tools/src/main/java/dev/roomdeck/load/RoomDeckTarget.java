package dev.roomdeck.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.auth.AppKeys;
import dev.roomdeck.auth.TokenService;
import dev.roomdeck.client.ClientAnswer;
import dev.roomdeck.client.ClientOffer;
import dev.roomdeck.media.DtlsCertificate;
import dev.roomdeck.media.RemoteParameters;
import dev.roomdeck.media.ClientTransport;
import dev.roomdeck.media.TransportState;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RoomDeck through its own protocol, as the Java client speaks it: join with an offer, addStream for a
 * publisher, then answer every server offer (the server adds other peers' streams by renegotiating).
 */
final class RoomDeckTarget implements Target {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final boolean DEBUG = Boolean.getBoolean("load.debug");

    private final URI ws;
    private final String appkey;
    private final TokenService tokens;
    private final InetAddress bind;
    private final DtlsCertificate certificate;
    private final int bitrateKbps;
    private final LoadCounters tally;
    private final String roomPrefix = "load-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    /** Each peer's signalling and its message ids, for messages after the join (videoSize). */
    private final Map<LoadPeer, Session> sessions = new ConcurrentHashMap<>();

    private record Session(JsonSocket socket, AtomicInteger ids) {
    }

    RoomDeckTarget(URI ws, String appkey, String secret, InetAddress bind, DtlsCertificate certificate,
                   int bitrateKbps, LoadCounters tally) {
        this.ws = ws;
        this.appkey = appkey;
        this.tokens = new TokenService(AppKeys.load(Map.of(appkey, secret), Path.of("."), appkey), Clock.systemUTC());
        this.bind = bind;
        this.certificate = certificate;
        this.bitrateKbps = bitrateKbps;
        this.tally = tally;
    }

    @Override
    public String name() {
        return "roomdeck";
    }

    @Override
    public boolean publishersReceiveEachOther() {
        return true;
    }

    @Override
    public LoadPeer publisher(int room, String name, List<Source> sources, int[] receives) throws Exception {
        return join(room, name, sources, receives);
    }

    @Override
    public LoadPeer subscriber(int room, String name, int[] receives) throws Exception {
        return join(room, name, List.of(), receives);
    }

    @Override
    public void videoSize(LoadPeer peer, String publisher, int width, int height) {
        Session s = sessions.get(peer);
        ObjectNode d = JsonSocket.object();
        d.put("id", publisher).put("msid", msid(publisher)).put("width", width).put("height", height);
        send(s.socket(), s.ids(), "videoSize", d);
    }

    private static String msid(String user) {
        return user + "-cam";
    }

    private LoadPeer join(int roomIndex, String user, List<Source> sources, int[] receives) throws Exception {
        String room = roomPrefix + "-" + roomIndex;
        ClientTransport transport = ClientTransport.open(bind, certificate, user, true);
        LoadPeer peer = new LoadPeer(user, transport, receives, sources, tally);
        JsonSocket socket;
        try {
            socket = JsonSocket.connect(ws, null);
        } catch (Exception e) {
            transport.close();
            throw e;
        }
        peer.signalling(socket);
        try {
            String msid = msid(user);
            List<ClientOffer.Track> tracks = Sdp.tracks(msid, sources);
            String cname = "cname-" + user;
            AtomicInteger ids = new AtomicInteger();
            ObjectNode join = JsonSocket.object();
            join.put("appkey", appkey).put("room", room).put("user", user)
                    .put("token", tokens.issue(appkey, room, user, Duration.ofHours(12))).put("planb", false)
                    .put("answersOffers", true)
                    .put("sdp", ClientOffer.write(random(), 1, Sdp.local(transport), tracks, cname));
            String joinId = send(socket, ids, "join", join);
            JsonNode joined = socket.await(m -> joinId.equals(m.path("id").asText()), WAIT, "joined").json();
            if (!"joined".equals(joined.path("type").asText())) {
                throw new IllegalStateException(user + ": join refused: " + joined);
            }
            start(transport, peer, joined.path("data").path("sdp").asText());
            AtomicLong answeredAfter = new AtomicLong();
            if (!tracks.isEmpty()) {
                ObjectNode add = JsonSocket.object();
                add.putObject("stream").put("id", user).put("msid", msid).put("local", true).put("bitrate", bitrateKbps);
                add.put("sdp", ClientOffer.write(random(), 2, Sdp.local(transport), tracks, cname));
                String addId = send(socket, ids, "addStream", add);
                JsonSocket.Message answer = socket.await(m -> addId.equals(m.path("id").asText()), WAIT, "answer to addStream");
                if (!"answer".equals(answer.json().path("type").asText())) {
                    throw new IllegalStateException(user + ": addStream refused: " + answer.json());
                }
                // Server offers that crossed our addStream were withdrawn by the server (glare): never answer them.
                answeredAfter.set(answer.seq());
                start(transport, peer, answer.json().path("data").path("sdp").asText());
            }
            socket.listen(m -> {
                JsonNode j = m.json();
                if (DEBUG) {
                    System.err.println(user + " <- " + j.path("type").asText() + " seq " + m.seq() + " (answered after "
                            + answeredAfter.get() + ")");
                }
                if ("error".equals(j.path("type").asText())) {
                    System.err.println(user + ": server error: " + j); // e.g. a refused videoSize
                }
                if (!"offer".equals(j.path("type").asText()) || m.seq() < answeredAfter.get()) {
                    return;
                }
                try {
                    String offer = j.path("data").path("sdp").asText();
                    ObjectNode reply = JsonSocket.object();
                    reply.put("sdp", ClientAnswer.write(offer, Sdp.local(transport), tracks, cname));
                    start(transport, peer, offer);
                    send(socket, ids, "answer", reply);
                } catch (Exception e) {
                    System.err.println(user + ": cannot answer an offer: " + e);
                }
            });
            peer.awaitReady(WAIT);
            sessions.put(peer, new Session(socket, ids));
            return peer;
        } catch (Exception | Error e) {
            peer.close();
            throw e;
        }
    }

    private static void start(ClientTransport transport, LoadPeer peer, String sdp) throws Exception {
        synchronized (transport) {
            if (transport.state() == TransportState.NEW) {
                RemoteParameters remote = Sdp.remoteParameters(sdp);
                if (remote != null) {
                    transport.start(remote, peer);
                }
            }
        }
    }

    private static String send(JsonSocket socket, AtomicInteger ids, String type, JsonNode data) {
        String id = "g" + ids.incrementAndGet();
        ObjectNode env = JsonSocket.object();
        env.put("type", type);
        env.set("data", data);
        env.put("id", id);
        socket.send(env);
        return id;
    }

    private static long random() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    @Override
    public void close() {
        // peers are closed by the generator
    }
}
