package dev.roomdeck.forward;

import dev.roomdeck.config.Addresses;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.media.PacketCounters;
import dev.roomdeck.media.PacketSnapshot;
import dev.roomdeck.media.DtlsCertificate;
import dev.roomdeck.media.MediaEndpoint;
import dev.roomdeck.media.PeerTransport;
import dev.roomdeck.room.MediaEvents;
import dev.roomdeck.room.MediaPlan;
import dev.roomdeck.room.MediaPlane;
import dev.roomdeck.room.PeerMedia;
import dev.roomdeck.room.Room;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU's media plane, as the rooms see it through {@link dev.roomdeck.room.MediaPlane}: one DTLS certificate and
 * one shared media port ({@link dev.roomdeck.media.MediaEndpoint}) for the whole server, a {@link PeerForwarder}
 * (the room's {@link dev.roomdeck.room.PeerMedia}) per peer, and a {@link RoomGraph} forwarding graph per room. A timer sends RTCP to publishers every
 * {@value #TICK_MILLIS} ms and checks liveness.
 */
public final class ForwardingPlane implements MediaPlane, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardingPlane.class);
    static final long TICK_MILLIS = 500;

    private final DtlsCertificate certificate;
    private final MediaEndpoint endpoint;
    private final ScheduledExecutorService timer;
    private final Map<Room, RoomGraph> rooms = new ConcurrentHashMap<>();
    private final long consentTimeoutNanos;
    private final FanOut fanOut;
    /**
     * The forwarding stage of the whole plane (after SRTP): every peer's and track's counts and drops arrive here
     * through the counter tree; the transport stage's are the endpoint's.
     */
    final PacketCounters forwarding = new PacketCounters(null);

    private ForwardingPlane(DtlsCertificate certificate, MediaEndpoint endpoint, long consentTimeoutNanos,
                            int fanOutShards) {
        this.certificate = certificate;
        this.endpoint = endpoint;
        this.consentTimeoutNanos = consentTimeoutNanos;
        this.fanOut = new FanOut(fanOutShards, forwarding);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "media-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(this::detectSpeakers, SpeakerDetector.PERIOD_MILLIS, SpeakerDetector.PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void detectSpeakers() {
        long now = System.nanoTime();
        for (RoomGraph media : rooms.values()) {
            try {
                media.detectSpeaker(now);
            } catch (RuntimeException ex) {
                LOG.warn("speaker detection failed", ex);
            }
        }
    }

    public static ForwardingPlane open(ServerConfig config) {
        DtlsCertificate cert = DtlsCertificate.generate();
        List<InetAddress> hosts = Addresses.mediaAddresses(config);
        InetAddress announced = config.announcedAddress() == null ? null
                : Addresses.parse("announcedAddress", config.announcedAddress());
        MediaEndpoint endpoint = MediaEndpoint.open(hosts, config.mediaPort(), announced, cert, config.iceTcp());
        int shards = config.forwardingThreads() > 0 ? config.forwardingThreads()
                : FanOut.defaultShards(Runtime.getRuntime().availableProcessors());
        LOG.info("media on port {} (udp{}) for {}; {}", endpoint.port(), endpoint.iceTcp() ? ", tcp" : "", hosts,
                shards == 1 ? "the media worker sends to subscribers" : shards + " fan-out threads send to subscribers");
        return new ForwardingPlane(cert, endpoint, config.limits().consentTimeoutSeconds() * 1_000_000_000L, shards);
    }

    public int port() {
        return endpoint.port();
    }

    public MediaPlane plane() {
        return this;
    }

    public MediaEndpoint endpoint() {
        return endpoint;
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    FanOut fanOut() {
        return fanOut;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    long consentTimeoutNanos() {
        return consentTimeoutNanos;
    }

    @Override
    public PeerMedia open(Room room, String peerId, MediaEvents events) {
        PeerTransport transport = endpoint.createTransport(room.id() + "/" + peerId);
        PeerForwarder[] opened = new PeerForwarder[1];
        // Atomic against the timer dropping empty rooms (tick): making a transport can take a while (the first
        // ICE agent of a cold JVM: hundreds of ms), and a room's graph dropped meanwhile lost its first peer.
        rooms.compute(room, (r, existing) -> {
            RoomGraph media = existing != null ? existing : new RoomGraph();
            opened[0] = new PeerForwarder(this, media, peerId, transport, events);
            media.add(opened[0]);
            return media;
        });
        return opened[0];
    }

    @Override
    public void planChanged(Room room, MediaPlan plan) {
        RoomGraph media = rooms.get(room);
        if (media != null) {
            media.plan(plan);
        }
    }

    /**
     * Every packet counted on the media port: what the transports received and sent (after SRTP), and the drops of
     * both stages (each reason belongs to one stage, so each drop is counted once).
     */
    public PacketSnapshot counters() {
        PacketSnapshot c = endpoint.counters();
        Map<String, Long> all = new TreeMap<>(c.drops());
        forwarding.snapshot().drops().forEach((k, v) -> all.merge(k, v, Long::sum));
        return new PacketSnapshot(c.rtpReceived(), c.rtcpReceived(), c.rtpSent(), c.rtcpSent(), all);
    }

    /** The forwarding stage alone: packets used per track, copies sent to subscribers, drops after SRTP. */
    public PacketSnapshot forwardingCounters() {
        return forwarding.snapshot();
    }

    /** Live figures of one peer, or empty if it has no media session. */
    public Optional<PeerStats> figures(String roomId, String peerId) {
        long now = System.nanoTime();
        for (Map.Entry<Room, RoomGraph> e : rooms.entrySet()) {
            if (e.getKey().id().equals(roomId)) {
                for (PeerForwarder s : e.getValue().sessions()) {
                    if (s.peerId.equals(peerId)) {
                        int[] audio = e.getValue().audioFigures(s, now);
                        return Optional.of(s.figures(now).withAudio(audio[0], audio[1] == 1));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void tick() {
        long now = System.nanoTime();
        for (Map.Entry<Room, RoomGraph> e : rooms.entrySet()) {
            RoomGraph media = e.getValue();
            if (media.isEmpty()) {
                rooms.computeIfPresent(e.getKey(), (r, m) -> m.isEmpty() ? null : m);
                continue;
            }
            for (PeerForwarder s : media.sessions()) {
                try {
                    s.tick(now);
                } catch (RuntimeException ex) {
                    LOG.warn("media tick failed for {}", s.peerId, ex);
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (RoomGraph media : rooms.values()) {
            media.sessions().forEach(PeerForwarder::close);
        }
        rooms.clear();
        endpoint.close();
        fanOut.close();
    }
}
