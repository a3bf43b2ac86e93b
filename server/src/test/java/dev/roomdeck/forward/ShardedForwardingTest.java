package dev.roomdeck.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.PacketLog;
import dev.roomdeck.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every forwarding rule of {@link ForwardingTest} again, with the fan-out on three shard threads as on a PC with
 * six or more cores (here they share two): a subscriber's media and its NACK answers come from its shard, its
 * feedback is handled there, and what a test checks must not change. Plus what sharding alone could break: each
 * subscriber's packets in the order they were sent, none lost or doubled, across subscribers on different shards.
 */
class ShardedForwardingTest extends ForwardingTest {
    private static final int SHARDS = 3;

    @Override
    ServerConfig configure(ServerConfig c) {
        return super.configure(c).withForwardingThreads(SHARDS);
    }

    @Test
    void sixSubscribersOnThreeShardsEachGetEveryPacketOnceInOrderAndTheirRepairs() throws Exception {
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("fan-out-")))
                .as("the shard threads").hasSize(SHARDS);
        MediaClient alice = server().media("r1", "alice", "alice-cam");
        List<MediaClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            MediaClient s = server().media("r1", "sub" + i, null);
            s.recordPackets();
            subscribers.add(s);
        }
        alice.awaitReady(Duration.ofSeconds(10));
        for (MediaClient s : subscribers) {
            s.awaitReady(Duration.ofSeconds(10));
        }
        int video = alice.ssrc("video");
        pumpUntil("media flows to all six", alice,
                () -> subscribers.stream().allMatch(s -> s.inbound(video).packets.sum() > 0));
        int before = subscribers.get(0).inbound(video).log().size();

        pump(alice, 1000, 300); // 1000..1299, 2 ms apart
        eventually("all six got packet 1299", () -> subscribers.stream()
                .allMatch(s -> s.inbound(video).lastSeq.get() == 1299));

        for (MediaClient s : subscribers) {
            List<Integer> seqs = s.inbound(video).log().entries().stream()
                    .map(PacketLog.Entry::seq).filter(q -> q >= 1000).toList();
            List<Integer> expected = new ArrayList<>();
            for (int q = 1000; q < 1300; q++) {
                expected.add(q);
            }
            assertThat(seqs).as("what one subscriber received, in order").isEqualTo(expected);
        }
        assertThat(subscribers.get(0).inbound(video).log().size()).isGreaterThan(before);

        for (MediaClient s : subscribers) {
            s.sendNack(video, 1100, 1200);
        }
        eventually("each subscriber's two repairs", () -> subscribers.stream().allMatch(s -> s.rtxPackets() >= 2));
        for (MediaClient s : subscribers) {
            assertThat(s.rtxReceived()).extracting(MediaClient.RtxPacket::originalSeq).containsExactly(1100, 1200);
        }
        assertThat(server().server().forwardingCounters().drops("fanout-backlog")).isZero();
    }
}
