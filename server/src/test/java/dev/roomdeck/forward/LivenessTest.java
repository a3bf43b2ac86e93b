package dev.roomdeck.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.UdpBlock;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.config.ServerConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One liveness rule, with the operator's timeout: a peer whose device falls silent (its datagrams stop reaching
 * the server, its signalling stays) leaves after exactly the configured consent timeout, with reason "timeout" —
 * not after a 30 s limit hidden in the transport, and not as "media-failed". The silence is real: nftables drops
 * every datagram from the client's port inside the test's loopback-only namespace.
 */
class LivenessTest {
    private static final int CONSENT_TIMEOUT_SECONDS = 45;
    private TestServer server;
    private UdpBlock silence;

    @AfterEach
    void stop() throws Exception {
        if (silence != null) {
            silence.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSilentPeerLeavesAfterTheConfiguredConsentTimeoutWithReasonTimeout() throws Exception {
        ServerConfig.Limits d = ServerConfig.Limits.defaults();
        server = TestServer.start(c -> c.withLimits(new ServerConfig.Limits(d.maxMessageBytes(),
                d.maxMessagesPerSecond(), d.maxPeersPerRoom(), d.maxRooms(), d.offerTimeoutMillis(),
                d.idleTimeoutSeconds(), CONSENT_TIMEOUT_SECONDS)));
        MediaClient alice = server.media("r1", "alice", null);
        MediaClient bob = server.media("r1", "bob", "bob-cam");
        alice.awaitReady(Duration.ofSeconds(10));
        bob.awaitReady(Duration.ofSeconds(10));

        silence = UdpBlock.dropUdpFrom(bob.transport().selectedLocal().getPort());
        long cut = System.nanoTime();
        SignalClient.Received leave = bob.signal().await("leave", Duration.ofSeconds(CONSENT_TIMEOUT_SECONDS + 15));
        double seconds = (System.nanoTime() - cut) / 1e9;

        assertThat(leave.data().get("reason").asText()).isEqualTo("timeout");
        // The media timer looks twice a second; the last sign of life came at most a consent interval before the cut.
        assertThat(seconds).as("seconds from the silence to the leave").isBetween(CONSENT_TIMEOUT_SECONDS - 6.0,
                CONSENT_TIMEOUT_SECONDS + 2.0);
        assertThat(silence.dropped()).isPositive();
        SignalClient.Received removed = alice.signal().await(m -> m.type().equals("peerRemoved"),
                Duration.ofSeconds(5), "peerRemoved bob");
        assertThat(removed.data().at("/peer/id").asText()).isEqualTo("bob");
    }
}
