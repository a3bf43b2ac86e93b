package dev.roomdeck.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomdeck.TestInterface;
import dev.roomdeck.TestServer;
import dev.roomdeck.browser.BrowserTests;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.config.ServerConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /metrics on the admin listener, read as Prometheus (or curl) would: real media clients' packets and bitrates
 * show, the JVM's figures too, and the listener answers on this PC only unless the operator binds it elsewhere.
 */
class MetricsTest {
    private static final String LAN = "10.77.1.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private TestServer server;
    private TestInterface lan;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (lan != null) {
            lan.close();
        }
    }

    private static String scrape(String host, int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    /** The value of the sample with exactly this name and label set, e.g. {@code roomdeck_peers} or {@code x{a="b"}}. */
    private static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("sample " + sample + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void twoMediaClientsShowUpWithTheirPacketsAndBitrates() throws Exception {
        server = TestServer.start();
        int port = server.server().metricsPort();
        assertThat(port).isPositive();
        MediaClient alice = server.media("r1", "alice", "alice-cam");
        MediaClient bob = server.media("r1", "bob", null);
        alice.awaitReady(Duration.ofSeconds(10));
        bob.awaitReady(Duration.ofSeconds(10));
        for (int seq = 1; seq <= 300; seq++) {
            alice.sendRtp("video", seq, 90 * seq, seq % 10 == 0, new byte[1000]);
            Thread.sleep(3);
        }
        BrowserTests.eventually("bob received alice's video", Duration.ofSeconds(5),
                () -> bob.inbound(alice.ssrc("video")).packets.sum() >= 290);

        String text = scrape("127.0.0.1", port);
        assertThat(value(text, "roomdeck_rooms")).isEqualTo(1);
        assertThat(value(text, "roomdeck_peers")).isEqualTo(2);
        assertThat(value(text, "roomdeck_streams{kind=\"camera\"}")).isEqualTo(1);
        assertThat(value(text, "roomdeck_media_packets_total{direction=\"received\",type=\"rtp\"}"))
                .isGreaterThanOrEqualTo(300);
        assertThat(value(text, "roomdeck_media_packets_total{direction=\"sent\",type=\"rtp\"}"))
                .isGreaterThanOrEqualTo(290);
        // Over the last second: alice sent ~1 kB every 3 ms, so a few Mbit/s in, the same out to bob.
        assertThat(value(text, "roomdeck_peer_receive_bits_per_second{peer=\"alice\",room=\"r1\"}"))
                .isGreaterThan(500_000);
        assertThat(value(text, "roomdeck_peer_send_bits_per_second{peer=\"bob\",room=\"r1\"}"))
                .isGreaterThan(500_000);
        assertThat(value(text, "roomdeck_peers_by_network{protocol=\"udp\",verdict=\"ok\"}")).isEqualTo(2);
        assertThat(value(text, "roomdeck_peers_joined_total")).isEqualTo(2);
        assertThat(text).contains("# TYPE roomdeck_round_trip_seconds histogram")
                .contains("# TYPE roomdeck_loss_ratio histogram");
        // Every datagram the packet path processed is in the server's own delay histogram: alice's 300 at least.
        assertThat(text).contains("# TYPE roomdeck_media_path_delay_seconds histogram");
        double processed = value(text, "roomdeck_media_path_delay_seconds_count");
        assertThat(processed).isGreaterThanOrEqualTo(300);
        assertThat(value(text, "roomdeck_media_path_delay_seconds_bucket{le=\"+Inf\"}")).isEqualTo(processed);
        assertThat(value(text, "roomdeck_media_path_delay_seconds_sum")).isPositive();
        assertThat(value(text, "jvm_threads_current")).isPositive();
        assertThat(text).contains("jvm_memory_used_bytes{area=\"heap\"}");

        bob.close();
        BrowserTests.eventually("bob's leave counted", Duration.ofSeconds(10), () -> {
            try {
                return scrape("127.0.0.1", port).contains("roomdeck_peers_left_total{reason=");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    @Test
    void fromTheLanAddressItIsRefusedUnlessTheOperatorBindsItThere() throws Exception {
        lan = TestInterface.add("rdtest1", LAN);
        server = TestServer.start();
        int port = server.server().metricsPort();
        assertThat(value(scrape("127.0.0.1", port), "roomdeck_peers")).isZero();
        assertThatThrownBy(() -> scrape(LAN, port)).isInstanceOf(ConnectException.class);
        server.close();

        server = TestServer.start(c -> c.withMetrics(new ServerConfig.Metrics("0.0.0.0", 0)));
        assertThat(value(scrape(LAN, server.server().metricsPort()), "roomdeck_peers")).isZero();
    }

    @Test
    void switchedOffThereIsNoListener() throws Exception {
        server = TestServer.start(c -> c.withMetrics(new ServerConfig.Metrics("127.0.0.1", -1)));
        assertThat(server.server().metricsPort()).isEqualTo(-1);
    }
}
