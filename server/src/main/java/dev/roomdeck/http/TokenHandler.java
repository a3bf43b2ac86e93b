package dev.roomdeck.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomdeck.auth.SdkClaims;
import dev.roomdeck.auth.TokenException;
import dev.roomdeck.auth.TokenService;
import dev.roomdeck.config.ServerConfig;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * POST /api/generateToken {appkey, room, user} → {"s": 10000, "d": {"token": ...}, "e": ""}, the shape
 * RTCEngine's server answered with. Refusals keep the shape with another s and the reason in e. The token carries
 * what RTCEngine SDKs read from it ({@link SdkClaims}); CORS is {@link ApiCors}'s.
 */
final class TokenHandler extends Handler.Abstract {
    static final int OK = 10000;
    static final int BAD_REQUEST = 10001;
    static final int REFUSED = 10003;
    static final int DISABLED = 10004;
    private static final int MAX_BODY = 16 * 1024;

    /** The RTCEngine response envelope. */
    record Reply(int s, Map<String, Object> d, String e) {
    }

    private final ObjectMapper mapper;
    private final TokenService tokens;
    private final boolean enabled;
    private final Duration ttl;
    private final ServerConfig.Apps apps;

    TokenHandler(ObjectMapper mapper, TokenService tokens, boolean enabled, Duration ttl, ServerConfig.Apps apps) {
        this.mapper = mapper;
        this.tokens = tokens;
        this.enabled = enabled;
        this.ttl = ttl;
        this.apps = apps;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!enabled) {
            JsonResponses.write(mapper, response, callback, 404, new Reply(DISABLED, Map.of(),
                    "the token endpoint is switched off on this server; ask your application server for a token"));
            return true;
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, ApiCors.ALLOW_METHODS);
            JsonResponses.write(mapper, response, callback, 405, new Reply(BAD_REQUEST, Map.of(), "use POST"));
            return true;
        }
        long length = request.getLength();
        if (length > MAX_BODY) {
            JsonResponses.write(mapper, response, callback, 413, new Reply(BAD_REQUEST, Map.of(), "request body too large"));
            return true;
        }
        String body = Content.Source.asString(request);
        JsonNode json;
        try {
            json = body.length() > MAX_BODY ? null : mapper.readTree(body);
        } catch (Exception e) {
            json = null;
        }
        String appkey = text(json, "appkey");
        String room = text(json, "room");
        String user = text(json, "user");
        if (appkey == null || room == null || user == null) {
            JsonResponses.write(mapper, response, callback, 400, new Reply(BAD_REQUEST, Map.of(),
                    "send a JSON object with non-empty strings appkey, room and user"));
            return true;
        }
        try {
            SdkClaims sdk = new SdkClaims(wsUrl(request), apps.iceServers(), apps.iceTransportPolicy());
            String token = tokens.issue(appkey, room, user, ttl, sdk);
            JsonResponses.write(mapper, response, callback, 200, new Reply(OK, Map.of("token", token), ""));
        } catch (TokenException e) {
            JsonResponses.write(mapper, response, callback, 403, new Reply(REFUSED, Map.of(), e.getMessage()));
        }
        return true;
    }

    /**
     * The configured public URL, else how this request reached the server (its scheme and Host): the caller, and
     * the browser it serves, reach the server there. Behind a proxy or for app servers on this PC, set publicUrl.
     */
    private String wsUrl(Request request) {
        if (apps.publicUrl() != null) {
            return apps.publicUrl();
        }
        String scheme = request.isSecure() ? "https" : "http";
        String host = Request.getServerName(request);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = Request.getServerPort(request);
        boolean defaultPort = port <= 0 || port == (request.isSecure() ? 443 : 80);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json == null || !json.isObject() ? null : json.get(field);
        return n != null && n.isTextual() && !n.asText().isEmpty() && n.asText().length() <= 128 ? n.asText() : null;
    }
}
