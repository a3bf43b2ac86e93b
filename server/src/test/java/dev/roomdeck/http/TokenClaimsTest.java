package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RTCEngine's SDKs {@code jwtDecode} the token and take from it the appkey, room and user of their join, the
 * Socket.IO URL ({@code wsUrl}) and the RTCPeerConnection's {@code iceServers} and {@code iceTransportPolicy}.
 */
class TokenClaimsTest {
    private static JsonNode claims(HttpClient http, URI endpoint) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"appkey\":\"test\",\"room\":\"r1\",\"user\":\"alice\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        String token = TestServer.json(res.body()).at("/d/token").asText();
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        return TestServer.json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    @Test
    void aTokenCarriesEverythingAnRtcEngineSdkReads() throws Exception {
        try (TestServer server = TestServer.start()) {
            long before = System.currentTimeMillis() / 1000;
            JsonNode c = claims(HttpClient.newHttpClient(), server.http("/api/generateToken"));
            assertThat(c.get("appkey").asText()).isEqualTo("test");
            assertThat(c.get("room").asText()).isEqualTo("r1");
            assertThat(c.get("user").asText()).isEqualTo("alice");
            assertThat(c.get("iat").asLong()).isBetween(before - 1, before + 5);
            assertThat(c.get("exp").asLong() - c.get("iat").asLong()).isEqualTo(server.server().config().tokenTtlSeconds());
            // No public URL configured: how this request reached the server, which is where its browser reaches it.
            assertThat(c.get("wsUrl").asText()).isEqualTo("http://127.0.0.1:" + server.server().httpPort());
            assertThat(c.get("iceServers").isArray()).isTrue();
            assertThat(c.get("iceServers")).isEmpty();
            assertThat(c.get("iceTransportPolicy").asText()).isEqualTo("all");
        }
    }

    @Test
    void overHttpsTheUrlIsTheHttpsOneByTheNameTheCallerUsed() throws Exception {
        try (TestServer server = TestServer.start()) {
            X509Certificate cert = TestCertificates.readPem(server.server().certificate().file()).get(0);
            HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.trusting(cert)).build();
            String base = "https://localhost:" + server.server().httpsPort();
            assertThat(claims(https, URI.create(base + "/api/generateToken")).get("wsUrl").asText()).isEqualTo(base);
        }
    }

    @Test
    void theConfiguredPublicUrlAndIceServersWin() throws Exception {
        ServerConfig.Apps apps = new ServerConfig.Apps(List.of("lan"), "https://meet.example.com",
                List.of(new ServerConfig.IceServer(List.of("stun:stun.example.com:3478"), null, null),
                        new ServerConfig.IceServer(List.of("turn:turn.example.com:3478?transport=udp",
                                "turns:turn.example.com:5349"), "room-pc", "s3cret")),
                "relay");
        try (TestServer server = TestServer.start(c -> c.withApps(apps))) {
            JsonNode c = claims(HttpClient.newHttpClient(), server.http("/api/generateToken"));
            assertThat(c.get("wsUrl").asText()).isEqualTo("https://meet.example.com");
            assertThat(c.get("iceTransportPolicy").asText()).isEqualTo("relay");
            JsonNode ice = c.get("iceServers");
            assertThat(ice).hasSize(2);
            assertThat(ice.get(0).get("urls").get(0).asText()).isEqualTo("stun:stun.example.com:3478");
            assertThat(ice.get(0).has("username")).isFalse();
            assertThat(ice.get(0).has("credential")).isFalse();
            assertThat(ice.get(1).get("urls")).hasSize(2);
            assertThat(ice.get(1).get("username").asText()).isEqualTo("room-pc");
            assertThat(ice.get(1).get("credential").asText()).isEqualTo("s3cret");
        }
    }

    @Test
    void aTokenFromTheEndpointStillJoinsOverWs() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.http("/api/generateToken"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"appkey\":\"test\",\"room\":\"r1\",\"user\":\"alice\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            var join = server.joinData("r1", "alice", TestServer.emptyOffer());
            join.put("token", TestServer.json(res.body()).at("/d/token").asText());
            var c = server.connect();
            c.send("join", join);
            assertThat(c.await("joined", TestServer.WAIT)).isNotNull();
        }
    }
}
