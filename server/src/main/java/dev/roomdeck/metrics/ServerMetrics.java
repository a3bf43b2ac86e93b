package dev.roomdeck.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.roomdeck.admin.AdminApi;
import dev.roomdeck.admin.PacketsSnapshot;
import dev.roomdeck.admin.PathDelaySnapshot;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerEvent;
import dev.roomdeck.admin.ServerSnapshot;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * RoomDeck's figures as Prometheus metrics, all read through the admin API (as the console reads them): what is
 * live (rooms, peers, streams, bitrates, the network doctor's verdicts) at scrape time from one snapshot; packet
 * counts and drops by reason from the media counters; joins, leaves and negotiation failures from the room events
 * as they happen; RTT and loss as histograms sampled from every connected peer every {@value #SAMPLE_SECONDS} s;
 * the server's own delay on the packet path as the media worker's histogram;
 * and the JVM's own.
 */
public final class ServerMetrics implements AutoCloseable {
    static final int SAMPLE_SECONDS = 5;

    private final AdminApi admin;
    private final Supplier<ServerSnapshot> snapshots;
    private final Counter joined;
    private final Counter left;
    private final Counter clientErrors;
    private final Histogram rtt;
    private final Histogram loss;
    private final Consumer<ServerEvent> listener = this::onEvent;
    private final ScheduledExecutorService sampler;

    public ServerMetrics(AdminApi admin, PrometheusRegistry registry) {
        this.admin = admin;
        this.snapshots = new RecentSnapshot(admin::snapshot, Duration.ofSeconds(1));
        GaugeWithCallback.builder().name("roomdeck_rooms").help("Rooms with at least one peer")
                .callback(cb -> cb.call(snapshots.get().rooms().size())).register(registry);
        GaugeWithCallback.builder().name("roomdeck_peers").help("Peers in a room")
                .callback(cb -> cb.call(snapshots.get().peerCount())).register(registry);
        GaugeWithCallback.builder().name("roomdeck_streams").help("Streams published (camera, screen), by kind")
                .labelNames("kind").callback(cb -> streams(cb)).register(registry);
        GaugeWithCallback.builder().name("roomdeck_lobby_waiting").help("People waiting at a locked room's door")
                .callback(cb -> cb.call(snapshots.get().rooms().stream().mapToInt(r -> r.lobby().size()).sum()))
                .register(registry);
        GaugeWithCallback.builder().name("roomdeck_peer_receive_bits_per_second")
                .help("What the server receives from a peer, over the last second").labelNames("room", "peer")
                .callback(cb -> eachPeer((room, p) -> cb.call(p.bitrateInBps(), room.id(), p.id())))
                .register(registry);
        GaugeWithCallback.builder().name("roomdeck_peer_send_bits_per_second")
                .help("What the server sends to a peer, over the last second").labelNames("room", "peer")
                .callback(cb -> eachPeer((room, p) -> cb.call(p.bitrateOutBps(), room.id(), p.id())))
                .register(registry);
        GaugeWithCallback.builder().name("roomdeck_peer_round_trip_seconds")
                .help("Round trip to a peer, from its receiver reports (absent until measured)")
                .labelNames("room", "peer")
                .callback(cb -> eachPeer((room, p) -> {
                    if (p.rttMillis() >= 0) {
                        cb.call(p.rttMillis() / 1000.0, room.id(), p.id());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("roomdeck_peers_by_network")
                .help("Peers by media protocol and the network doctor's verdict").labelNames("protocol", "verdict")
                .callback(cb -> byNetwork(cb)).register(registry);
        CounterWithCallback.builder().name("roomdeck_media_packets").help("RTP and RTCP packets on the media port")
                .labelNames("direction", "type").callback(cb -> {
                    PacketsSnapshot c = admin.mediaCounters();
                    cb.call(c.rtpReceived(), "received", "rtp");
                    cb.call(c.rtcpReceived(), "received", "rtcp");
                    cb.call(c.rtpSent(), "sent", "rtp");
                    cb.call(c.rtcpSent(), "sent", "rtcp");
                }).register(registry);
        CounterWithCallback.builder().name("roomdeck_media_dropped_packets")
                .help("Packets dropped on the media path, by reason (docs/operations.md lists them)")
                .labelNames("reason").callback(cb -> {
                    for (Map.Entry<String, Long> e : admin.mediaCounters().drops().entrySet()) {
                        cb.call(e.getValue(), e.getKey());
                    }
                }).register(registry);
        joined = Counter.builder().name("roomdeck_peers_joined_total").help("Peers that joined a room")
                .register(registry);
        left = Counter.builder().name("roomdeck_peers_left_total").help("Peers that left a room, by reason")
                .labelNames("reason").register(registry);
        clientErrors = Counter.builder().name("roomdeck_client_errors_total")
                .help("Errors reported to or by clients, by code; negotiation-failed: a browser could not apply an"
                        + " offer, or got no media from it").labelNames("code").register(registry);
        rtt = Histogram.builder().name("roomdeck_round_trip_seconds").unit(Unit.SECONDS)
                .help("Round trips to connected peers, sampled every " + SAMPLE_SECONDS + " s")
                .classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1).classicOnly()
                .register(registry);
        loss = Histogram.builder().name("roomdeck_loss_ratio")
                .help("Loss connected peers report about what they receive (0-1), sampled every " + SAMPLE_SECONDS
                        + " s").classicUpperBounds(0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5).classicOnly()
                .register(registry);
        registry.register(() -> pathDelay(admin.mediaPathDelay()));
        JvmMetrics.builder().register(registry);
        admin.addListener(listener);
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    /** The media worker's own histogram (kept on the packet path without locks), in Prometheus's terms. */
    private static HistogramSnapshot pathDelay(PathDelaySnapshot d) {
        double[] bounds = new double[d.boundsMicros().size() + 1];
        long[] counts = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = i < d.boundsMicros().size() ? d.boundsMicros().get(i) / 1e6 : Double.POSITIVE_INFINITY;
            counts[i] = d.counts().get(i);
        }
        return HistogramSnapshot.builder().name("roomdeck_media_path_delay_seconds").unit(Unit.SECONDS)
                .help("Time from the media port's socket to the end of a datagram's processing (SRTP, forwarding,"
                        + " sends): the server's own delay")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(d.sumNanos() / 1e9).build())
                .build();
    }

    @Override
    public void close() {
        admin.removeListener(listener);
        sampler.shutdownNow();
    }

    private void onEvent(ServerEvent event) {
        if (event instanceof ServerEvent.PeerJoined) {
            joined.inc();
        } else if (event instanceof ServerEvent.PeerLeft l) {
            left.labelValues(l.reason() == null ? "unknown" : l.reason()).inc();
        } else if (event instanceof ServerEvent.ClientError e) {
            clientErrors.labelValues(e.code()).inc();
        }
    }

    /** Every few seconds: the RTT and loss of every peer whose media is up, into the histograms. */
    void sample() {
        eachPeer((room, p) -> {
            if ("ready".equals(p.transportState())) {
                if (p.rttMillis() >= 0) {
                    rtt.observe(p.rttMillis() / 1000.0);
                }
                loss.observe(p.lossPercent() / 100.0);
            }
        });
    }

    private void streams(GaugeWithCallback.Callback cb) {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        for (RoomSnapshot r : snapshots.get().rooms()) {
            for (PeerSnapshot p : r.peers()) {
                p.streams().forEach(s -> byKind.merge(s.kind() == null ? "camera" : s.kind(), 1L, Long::sum));
            }
        }
        byKind.forEach((kind, n) -> cb.call(n, kind));
    }

    private void byNetwork(GaugeWithCallback.Callback cb) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        eachPeer((room, p) -> counts.merge((p.network().protocol() == null ? "none" : p.network().protocol())
                + "\n" + p.network().verdict().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum));
        counts.forEach((key, n) -> {
            String[] parts = key.split("\n");
            cb.call(n, parts[0], parts[1]);
        });
    }

    private void eachPeer(java.util.function.BiConsumer<RoomSnapshot, PeerSnapshot> action) {
        for (RoomSnapshot r : snapshots.get().rooms()) {
            for (PeerSnapshot p : r.peers()) {
                action.accept(r, p);
            }
        }
    }

    /** One snapshot serves every metric of a scrape (and the sampler): taking one walks every room and peer. */
    private static final class RecentSnapshot implements Supplier<ServerSnapshot> {
        private final Supplier<ServerSnapshot> source;
        private final long maxAgeNanos;
        private ServerSnapshot last;
        private long takenNanos;

        RecentSnapshot(Supplier<ServerSnapshot> source, Duration maxAge) {
            this.source = source;
            this.maxAgeNanos = maxAge.toNanos();
        }

        @Override
        public synchronized ServerSnapshot get() {
            long now = System.nanoTime();
            if (last == null || now - takenNanos > maxAgeNanos) {
                last = source.get();
                takenNanos = now;
            }
            return last;
        }
    }
}
