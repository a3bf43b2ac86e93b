package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** POST /api/generateToken answers as RTCEngine's server did; /health and the web client are served. */
class TokenEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(TestServer server, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.http("/api/generateToken"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenFromTheEndpointJoinsTheRoomItWasMadeFor() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> res = post(server, "{\"appkey\":\"test\",\"room\":\"r1\",\"user\":\"alice\"}");
            assertThat(res.statusCode()).isEqualTo(200);
            JsonNode body = TestServer.json(res.body());
            assertThat(body.get("s").asInt()).isEqualTo(10000);
            assertThat(body.get("e").asText()).isEmpty();
            String token = body.at("/d/token").asText();

            SignalClient c = server.connect();
            var join = server.joinData("r1", "alice", TestServer.emptyOffer());
            join.put("token", token);
            c.send("join", join);
            assertThat(c.await("joined", TestServer.WAIT)).isNotNull();
        }
    }

    @Test
    void theDefaultAppkeyWorksOutOfTheBoxWithAKeptSecret() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> res = post(server, "{\"appkey\":\"default\",\"room\":\"r1\",\"user\":\"bob\"}");
            assertThat(TestServer.json(res.body()).get("s").asInt()).isEqualTo(10000);
        }
    }

    @Test
    void badRequestsKeepTheEnvelopeAndSayWhy() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> res = post(server, "{\"appkey\":\"test\",\"room\":\"r1\"}");
            assertThat(res.statusCode()).isEqualTo(400);
            assertThat(TestServer.json(res.body()).get("e").asText()).contains("user");
            res = post(server, "{\"appkey\":\"nope\",\"room\":\"r1\",\"user\":\"x\"}");
            assertThat(res.statusCode()).isEqualTo(403);
            assertThat(TestServer.json(res.body()).get("s").asInt()).isNotEqualTo(10000);
            assertThat(TestServer.json(res.body()).get("e").asText()).contains("nope");
            res = post(server, "garbage");
            assertThat(res.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void theEndpointCanBeSwitchedOff() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withTokenEndpoint(false))) {
            HttpResponse<String> res = post(server, "{\"appkey\":\"test\",\"room\":\"r1\",\"user\":\"alice\"}");
            assertThat(res.statusCode()).isEqualTo(404);
            assertThat(TestServer.json(res.body()).get("e").asText()).contains("switched off");
        }
    }

    @Test
    void healthAndTheWebClientAreServed() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.joinWatching("r1", "alice");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.http("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode h = TestServer.json(health.body());
            assertThat(h.get("status").asText()).isEqualTo("ok");
            assertThat(h.get("peers").asInt()).isEqualTo(1);
            assertThat(h.get("mediaPort").asInt()).isEqualTo(server.server().mediaPort());
            assertThat(h.get("httpsPort").asInt()).isEqualTo(server.server().httpsPort()).isPositive();

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.http("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("<title>RoomDeck");
        }
    }
}
