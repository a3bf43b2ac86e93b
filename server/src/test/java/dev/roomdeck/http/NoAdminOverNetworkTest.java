package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Operator commands exist only in process (the console's AdminApi): nothing on the network can mute, kick or
 * list peers — no HTTP path answers, and the signalling protocol has no such message.
 */
class NoAdminOverNetworkTest {
    @Test
    void noHttpPathOrSignallingMessageReachesTheAdminApi() throws Exception {
        try (TestServer server = TestServer.start()) {
            SignalClient alice = server.joinWatching("r1", "alice");
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/admin", "/api/admin", "/api/rooms", "/api/kick", "/api/mute", "/admin/snapshot"}) {
                HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.http(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.http(path))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"r1\",\"peer\":\"alice\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(get.statusCode()).as("GET " + path).isEqualTo(404);
                assertThat(post.statusCode()).as("POST " + path).isEqualTo(404);
            }
            SignalClient mallory = server.joinWatching("r1", "mallory");
            for (String type : new String[] {"kick", "mute", "snapshot", "admin"}) {
                var d = mallory.object();
                d.put("room", "r1").put("peer", "alice");
                mallory.send(type, d);
                assertThat(mallory.await("error", TestServer.WAIT).data().get("code").asText()).isEqualTo("unknown-type");
            }
            assertThat(alice.types()).doesNotContain("leave", "configure");
            assertThat(server.server().admin().snapshot().peerCount()).isEqualTo(2);
        }
    }
}
