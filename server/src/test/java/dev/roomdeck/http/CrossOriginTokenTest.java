package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Apps on RTCEngine's JavaScript SDK are served from their own origin and ask the token endpoint cross-origin:
 * POST with a JSON body, so the browser sends a preflight (OPTIONS) first and reads the answer only when it names
 * the page's origin. Which origins get that is the operator's allowedOrigins (default: this LAN).
 */
class CrossOriginTokenTest {
    private static final String LAN_APP = "http://192.168.1.20:3000";
    private static final String FOREIGN = "https://evil.example.com";
    private static final String BODY = "{\"appkey\":\"test\",\"room\":\"r1\",\"user\":\"alice\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    /** What a browser sends before the POST: the method and the non-safelisted headers it will use. */
    private HttpResponse<String> preflight(TestServer server, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(server.http("/api/generateToken"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(TestServer server, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/api/generateToken"))
                .header("Content-Type", "application/json;charset=utf-8")
                .header("Accept", "application/json, text/plain, */*")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> res, String name) {
        return res.headers().firstValue(name).orElse(null);
    }

    @Test
    void aPageServedOnTheLanPassesThePreflightAndReadsItsToken() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> pre = preflight(server, LAN_APP);
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(header(pre, "Access-Control-Allow-Origin")).isEqualTo(LAN_APP);
            assertThat(header(pre, "Access-Control-Allow-Methods")).isEqualTo("POST, OPTIONS");
            assertThat(header(pre, "Access-Control-Allow-Headers")).isEqualToIgnoringCase("content-type");
            assertThat(Integer.parseInt(header(pre, "Access-Control-Max-Age"))).isPositive();
            assertThat(header(pre, "Vary")).contains("Origin");
            assertThat(header(pre, "Access-Control-Allow-Credentials")).isNull(); // no cookies are involved

            HttpResponse<String> res = post(server, LAN_APP);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(header(res, "Access-Control-Allow-Origin")).isEqualTo(LAN_APP);
            assertThat(header(res, "Vary")).contains("Origin");
            assertThat(TestServer.json(res.body()).at("/d/token").asText()).isNotEmpty();
        }
    }

    @Test
    void refusalsOfTheEndpointItselfStayReadableForAnAllowedPage() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(server.http("/api/generateToken"))
                    .header("Origin", LAN_APP).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"appkey\":\"nope\",\"room\":\"r1\",\"user\":\"a\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(403);
            assertThat(header(res, "Access-Control-Allow-Origin")).isEqualTo(LAN_APP);
            assertThat(TestServer.json(res.body()).get("e").asText()).contains("nope");
        }
    }

    @Test
    void aForeignSiteIsRefusedWithoutCorsHeadersAndToldWhy() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> pre = preflight(server, FOREIGN);
            assertThat(pre.statusCode()).isEqualTo(403);
            assertThat(header(pre, "Access-Control-Allow-Origin")).isNull();
            assertThat(header(pre, "Access-Control-Allow-Methods")).isNull();

            // A POST without preflight (a form, or a browser that skips it) is refused too: no token is made.
            HttpResponse<String> res = post(server, FOREIGN);
            assertThat(res.statusCode()).isEqualTo(403);
            assertThat(header(res, "Access-Control-Allow-Origin")).isNull();
            assertThat(header(res, "Content-Type")).startsWith("application/json");
            JsonNode body = TestServer.json(res.body());
            assertThat(body.get("s").asInt()).isEqualTo(TokenHandler.REFUSED);
            assertThat(body.get("d").isEmpty()).isTrue();
            assertThat(body.get("e").asText()).contains(FOREIGN, "allowedOrigins", "this LAN");
        }
    }

    @Test
    void requestsWithoutOriginAreNotABrowserPageAndAreUnaffected() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withApps(new ServerConfig.Apps(
                List.of("https://app.example.com"), null, List.of(), "all")))) {
            HttpResponse<String> res = post(server, null);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(header(res, "Access-Control-Allow-Origin")).isNull();
            assertThat(TestServer.json(res.body()).at("/d/token").asText()).isNotEmpty();
        }
    }

    @Test
    void onlyTheListedOriginsWhenTheOperatorNamesThem() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withApps(new ServerConfig.Apps(
                List.of("https://app.example.com"), null, List.of(), "all")))) {
            assertThat(preflight(server, "https://app.example.com").statusCode()).isEqualTo(204);
            assertThat(preflight(server, "https://app.example.com:8443").statusCode()).isEqualTo(403);
            assertThat(preflight(server, LAN_APP).statusCode()).isEqualTo(403); // "lan" is not in this list
            assertThat(post(server, LAN_APP).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void aListedPublicSiteIsToldYesWhenChromeAsksAboutReachingThisPrivateNetwork() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withApps(new ServerConfig.Apps(
                List.of("https://app.example.com"), null, List.of(), "all")))) {
            HttpResponse<String> pre = http.send(HttpRequest.newBuilder(server.http("/api/generateToken"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://app.example.com")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Private-Network", "true").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(header(pre, "Access-Control-Allow-Private-Network")).isEqualTo("true");
            assertThat(header(preflight(server, "https://app.example.com"), "Access-Control-Allow-Private-Network")).isNull();
        }
    }

    @Test
    void anySiteOnlyWhenTheOperatorSaysSo() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withApps(new ServerConfig.Apps(
                List.of("*"), null, List.of(), "all")))) {
            HttpResponse<String> pre = preflight(server, FOREIGN);
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(header(pre, "Access-Control-Allow-Origin")).isEqualTo(FOREIGN);
        }
    }

    @Test
    void theServersOwnPageIsAlwaysAllowedWhateverTheList() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withApps(new ServerConfig.Apps(
                List.of(), null, List.of(), "all")))) {
            // The bundled client's fetch() is a same-origin POST, which browsers send with an Origin too.
            String own = "http://127.0.0.1:" + server.server().httpPort();
            assertThat(post(server, own).statusCode()).isEqualTo(200);
            assertThat(post(server, "https://127.0.0.1:" + server.server().httpsPort()).statusCode()).isEqualTo(200);
            assertThat(post(server, "http://127.0.0.1:1").statusCode()).isEqualTo(403);
            assertThat(post(server, "http://127.0.0.2:" + server.server().httpPort()).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void aSwitchedOffEndpointStillTellsAnAllowedPageWhy() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withTokenEndpoint(false))) {
            assertThat(preflight(server, LAN_APP).statusCode()).isEqualTo(204);
            HttpResponse<String> res = post(server, LAN_APP);
            assertThat(res.statusCode()).isEqualTo(404);
            assertThat(header(res, "Access-Control-Allow-Origin")).isEqualTo(LAN_APP);
            assertThat(TestServer.json(res.body()).get("e").asText()).contains("switched off");
        }
    }
}
