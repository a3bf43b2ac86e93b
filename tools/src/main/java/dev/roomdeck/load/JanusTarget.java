package dev.roomdeck.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.client.ClientAnswer;
import dev.roomdeck.client.ClientOffer;
import dev.roomdeck.media.DtlsCertificate;
import dev.roomdeck.media.RemoteParameters;
import dev.roomdeck.media.ClientTransport;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Janus (1.x) through the VideoRoom plugin's JSON API on its WebSocket transport (subprotocol janus-protocol):
 * one session, one handle per peer connection. A publisher joins, then publishes with our offer (Janus answers);
 * a subscriber joins with the feeds it wants (Janus offers), then starts with our answer. Keepalives hold the
 * session open. Media runs over the same ClientTransport as for RoomDeck, so both targets meet the same packets.
 * A publisher whose video is simulcast layers offers them as Chrome does (rids q;h;f, said lowest first by
 * rid_order "lmh"); a subscriber then gets one substream per feed, chosen at join and by {@link #videoSize}.
 */
final class JanusTarget implements Target {
    private static final long WAIT_SECONDS = 60;
    private static final String PLUGIN = "janus.plugin.videoroom";

    private final InetAddress bind;
    private final DtlsCertificate certificate;
    private final LoadCounters tally;
    private final JsonSocket socket;
    private final long session;
    private final AtomicLong transactions = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Void>> webrtcUp = new ConcurrentHashMap<>();
    /** Janus's feed id of every publisher stream index. */
    private final Map<Integer, Long> feeds = new ConcurrentHashMap<>();
    /** Janus's feed id of every publisher by its name (for videoSize). */
    private final Map<String, Long> feedsByName = new ConcurrentHashMap<>();
    /** The simulcast layer (Janus's substream) of every stream index sent as one. */
    private final Map<Integer, Integer> layers = new ConcurrentHashMap<>();
    /** Every subscriber peer's handle and, per feed it receives, the mid of that feed's video in its session. */
    private final Map<LoadPeer, Subscription> subscriptions = new ConcurrentHashMap<>();

    private record Subscription(long handle, Map<Long, String> videoMids) {
    }
    private final Map<Integer, Long> roomIds = new ConcurrentHashMap<>();
    private final long roomBase = 100_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    private final int publishersPerRoom;
    private final int bitrateKbps;
    private final ScheduledExecutorService keepalive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "janus-keepalive");
        t.setDaemon(true);
        return t;
    });

    JanusTarget(URI ws, InetAddress bind, DtlsCertificate certificate, int publishersPerRoom, int bitrateKbps,
                LoadCounters tally) throws Exception {
        this.bind = bind;
        this.certificate = certificate;
        this.publishersPerRoom = publishersPerRoom;
        this.bitrateKbps = bitrateKbps;
        this.tally = tally;
        this.socket = JsonSocket.connect(ws, "janus-protocol");
        socket.listen(m -> dispatch(m.json()));
        ObjectNode create = JsonSocket.object().put("janus", "create");
        this.session = call(create).path("data").path("id").asLong();
        keepalive.scheduleAtFixedRate(() -> socket.send(JsonSocket.object().put("janus", "keepalive")
                .put("session_id", session).put("transaction", "k" + transactions.incrementAndGet())), 20, 20, TimeUnit.SECONDS);
    }

    @Override
    public String name() {
        return "janus";
    }

    @Override
    public boolean publishersReceiveEachOther() {
        return false; // a VideoRoom publisher's connection only sends; the generator adds a subscriber for it
    }

    @Override
    public LoadPeer publisher(int room, String name, List<Source> sources, int[] receives) throws Exception {
        long roomId = room(room);
        long handle = attach();
        JsonNode joined = message(handle, JsonSocket.object().put("request", "join").put("ptype", "publisher")
                .put("room", roomId).put("display", name), null);
        long feed = plugin(joined).path("id").asLong();
        if (feed == 0) {
            throw new IllegalStateException(name + ": join as publisher refused: " + joined);
        }
        ClientTransport transport = ClientTransport.open(bind, certificate, name, true);
        LoadPeer peer = new LoadPeer(name, transport, receives, sources, tally);
        try {
            List<ClientOffer.Track> tracks = Sdp.tracks(name + "-cam", sources);
            String offer = ClientOffer.write(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), 1,
                    Sdp.local(transport), tracks, "cname-" + name);
            ObjectNode offerJsep = jsep("offer", offer);
            if (sources.stream().anyMatch(s -> s.video && s.layer >= 0)) {
                // Our a=simulcast lists the rids lowest first (q;h;f, as Chrome does); Janus assumes highest first
                // unless told so, and would take f for its substream 0.
                offerJsep.put("rid_order", "lmh");
            }
            JsonNode configured = message(handle, JsonSocket.object().put("request", "publish").put("audio", true)
                    .put("video", true).put("bitrate", bitrateKbps * 1000), offerJsep);
            String answer = configured.path("jsep").path("sdp").asText(null);
            if (answer == null) {
                throw new IllegalStateException(name + ": publish refused: " + configured);
            }
            trickleDone(handle);
            RemoteParameters remote = Sdp.remoteParameters(answer);
            transport.start(remote, peer);
            peer.awaitReady(java.time.Duration.ofSeconds(WAIT_SECONDS));
            awaitWebrtcUp(handle, name);
            for (Source s : sources) {
                feeds.put(s.stream, feed);
                if (s.video && s.layer >= 0) {
                    layers.put(s.stream, s.layer);
                }
            }
            feedsByName.put(name, feed);
            return peer;
        } catch (Exception | Error e) {
            peer.close();
            throw e;
        }
    }

    @Override
    public LoadPeer subscriber(int room, String name, int[] receives) throws Exception {
        long roomId = room(room);
        long handle = attach();
        ObjectNode join = JsonSocket.object().put("request", "join").put("ptype", "subscriber").put("room", roomId);
        ArrayNode streams = join.putArray("streams");
        Map<Long, Integer> wanted = new java.util.LinkedHashMap<>(); // feed -> simulcast substream (-1: none)
        for (int s : receives) {
            Long feed = feeds.get(s);
            if (feed == null) {
                throw new IllegalStateException("no publisher (yet) for stream " + s);
            }
            Integer layer = layers.get(s);
            wanted.merge(feed, layer == null ? -1 : layer, Math::max);
        }
        for (Map.Entry<Long, Integer> w : wanted.entrySet()) {
            ObjectNode stream = streams.addObject().put("feed", w.getKey());
            if (w.getValue() >= 0) {
                stream.put("substream", w.getValue()); // the layer this peer counts from the start (else the top)
            }
        }
        JsonNode attached = message(handle, join, null);
        String offer = attached.path("jsep").path("sdp").asText(null);
        if (offer == null) {
            throw new IllegalStateException(name + ": join as subscriber refused: " + attached);
        }
        ClientTransport transport = ClientTransport.open(bind, certificate, name, false);
        LoadPeer peer = new LoadPeer(name, transport, receives, List.of(), tally);
        try {
            String answer = ClientAnswer.write(offer, Sdp.local(transport), List.of(), "cname-" + name);
            transport.start(Sdp.remoteParameters(offer), peer);
            JsonNode started = message(handle, JsonSocket.object().put("request", "start").put("room", roomId),
                    jsep("answer", answer));
            if (!"ok".equals(plugin(started).path("started").asText())) {
                throw new IllegalStateException(name + ": start refused: " + started);
            }
            trickleDone(handle);
            peer.awaitReady(java.time.Duration.ofSeconds(WAIT_SECONDS));
            awaitWebrtcUp(handle, name);
            subscriptions.put(peer, new Subscription(handle, videoMids(plugin(attached))));
            return peer;
        } catch (Exception | Error e) {
            peer.close();
            throw e;
        }
    }

    /** The feed -> subscriber mid of the video streams in an "attached" (or "updated") event's streams list. */
    private static Map<Long, String> videoMids(JsonNode data) {
        Map<Long, String> mids = new ConcurrentHashMap<>();
        for (JsonNode s : data.path("streams")) {
            if ("video".equals(s.path("type").asText()) && s.has("feed_id") && s.has("mid")) {
                mids.put(s.path("feed_id").asLong(), s.path("mid").asText());
            }
        }
        return mids;
    }

    /**
     * Janus's simulcast: the subscriber's "configure" with the substream of that size (the largest layer that fits
     * in width x height, else the lowest) for the video of the publisher's feed. Only for a peer connected by
     * {@link #subscriber} (a VideoRoom publisher's own connection receives nothing).
     */
    @Override
    public void videoSize(LoadPeer peer, String publisher, int width, int height) {
        Subscription sub = subscriptions.get(peer);
        if (sub == null) {
            throw new IllegalArgumentException(peer.name + " is no Janus subscriber: it receives nothing to size");
        }
        Long feed = feedsByName.get(publisher);
        if (feed == null) {
            throw new IllegalArgumentException("no Janus publisher named " + publisher);
        }
        String mid = sub.videoMids().get(feed);
        if (mid == null) {
            throw new IllegalArgumentException(peer.name + " receives no video of " + publisher + " (feed " + feed + ")");
        }
        int substream = 0;
        for (int l = 0; l < LoadGenerator.LAYER_SIZES.length; l++) {
            if (LoadGenerator.LAYER_SIZES[l][0] <= width && LoadGenerator.LAYER_SIZES[l][1] <= height) {
                substream = l;
            }
        }
        ObjectNode configure = JsonSocket.object().put("request", "configure");
        configure.putArray("streams").addObject().put("mid", mid).put("substream", substream);
        try {
            message(sub.handle(), configure, null);
        } catch (Exception e) {
            throw new IllegalStateException(peer.name + ": configure substream " + substream + " of " + publisher
                    + " refused: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        keepalive.shutdownNow();
        socket.send(JsonSocket.object().put("janus", "destroy").put("session_id", session)
                .put("transaction", "d" + transactions.incrementAndGet()));
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }

    // ---- VideoRoom ----

    /** The Janus room of a generator room, created on first use. */
    private synchronized long room(int index) throws Exception {
        Long id = roomIds.get(index);
        if (id != null) {
            return id;
        }
        long handle = attach();
        long roomId = roomBase + index;
        JsonNode created = message(handle, JsonSocket.object().put("request", "create").put("room", roomId)
                .put("publishers", Math.max(3, publishersPerRoom)).put("bitrate", bitrateKbps * 1000)
                .put("videocodec", "vp8").put("audiocodec", "opus").put("notify_joining", false), null);
        String result = plugin(created).path("videoroom").asText();
        if (!"created".equals(result)) {
            throw new IllegalStateException("cannot create VideoRoom " + roomId + ": " + created);
        }
        roomIds.put(index, roomId);
        return roomId;
    }

    private long attach() throws Exception {
        JsonNode r = call(JsonSocket.object().put("janus", "attach").put("session_id", session).put("plugin", PLUGIN));
        long handle = r.path("data").path("id").asLong();
        webrtcUp.putIfAbsent(handle, new CompletableFuture<>());
        return handle;
    }

    private JsonNode message(long handle, ObjectNode body, ObjectNode jsep) throws Exception {
        ObjectNode m = JsonSocket.object().put("janus", "message").put("session_id", session).put("handle_id", handle);
        m.set("body", body);
        if (jsep != null) {
            m.set("jsep", jsep);
        }
        JsonNode reply = call(m);
        JsonNode data = plugin(reply);
        if (data.has("error")) {
            throw new IllegalStateException("VideoRoom error " + data.path("error_code").asInt() + ": "
                    + data.path("error").asText());
        }
        return reply;
    }

    private void trickleDone(long handle) {
        ObjectNode t = JsonSocket.object().put("janus", "trickle").put("session_id", session).put("handle_id", handle)
                .put("transaction", "t" + transactions.incrementAndGet());
        t.putObject("candidate").put("completed", true);
        socket.send(t);
    }

    private void awaitWebrtcUp(long handle, String name) throws Exception {
        try {
            webrtcUp.computeIfAbsent(handle, h -> new CompletableFuture<>()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(name + ": Janus never reported webrtcup");
        }
    }

    private static ObjectNode jsep(String type, String sdp) {
        return JsonSocket.object().put("type", type).put("sdp", sdp);
    }

    private static JsonNode plugin(JsonNode reply) {
        return reply.path("plugindata").path("data");
    }

    // ---- Janus API plumbing ----

    /** Sends a request and waits for its final reply (success, error, or the plugin's event); acks are skipped. */
    private JsonNode call(ObjectNode request) throws Exception {
        String tx = "g" + transactions.incrementAndGet();
        request.put("transaction", tx);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(tx, reply);
        socket.send(request);
        JsonNode r;
        try {
            r = reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Janus did not answer " + request.path("janus").asText() + " "
                    + request.path("body"));
        } finally {
            pending.remove(tx);
        }
        if ("error".equals(r.path("janus").asText())) {
            throw new IllegalStateException("Janus error: " + r.path("error"));
        }
        return r;
    }

    private void dispatch(JsonNode m) {
        String kind = m.path("janus").asText();
        if (kind.equals("ack")) {
            return;
        }
        if (kind.equals("webrtcup")) {
            webrtcUp.computeIfAbsent(m.path("sender").asLong(), h -> new CompletableFuture<>()).complete(null);
            return;
        }
        String tx = m.path("transaction").asText(null);
        CompletableFuture<JsonNode> f = tx == null ? null : pending.get(tx);
        if (f != null && (kind.equals("success") || kind.equals("error") || kind.equals("event"))) {
            f.complete(m);
        }
    }
}
