package dev.roomdeck.http;

import dev.roomdeck.origin.OriginPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CORS for an /api endpoint that RTCEngine apps call from their own pages (POST with a JSON body, so browsers send
 * a preflight first). A page whose origin the {@link OriginPolicy} allows gets the answer with
 * {@code Access-Control-Allow-Origin} naming it; any other browser page gets 403 without CORS headers, which its
 * browser reports as a CORS failure. Requests without Origin (app servers, curl) pass unchanged. No credentials:
 * the API uses no cookies.
 */
final class ApiCors extends Handler.Wrapper {
    static final String ALLOW_METHODS = "POST, OPTIONS";
    /** What axios and fetch send with a JSON body; Accept is a safelisted header and needs no permission. */
    static final String ALLOW_HEADERS = "Content-Type";
    /** Ten minutes: browsers cap it anyway (Chromium at 2 h), and a changed policy takes effect soon. */
    static final String MAX_AGE = "600";
    private static final Logger LOG = LoggerFactory.getLogger(ApiCors.class);

    private final ObjectMapper mapper;
    private final OriginPolicy policy;

    ApiCors(ObjectMapper mapper, OriginPolicy policy, Handler api) {
        super(api);
        this.mapper = mapper;
        this.policy = policy;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        // The answer depends on Origin: caches must not hand one page's answer to another.
        response.getHeaders().put(HttpHeader.VARY, "Origin");
        if (origin != null && !policy.allowsRequest(request)) {
            LOG.info("refused {} {} from a page of {} (allowedOrigins: {})", request.getMethod(),
                    request.getHttpURI().getPath(), origin, policy);
            JsonResponses.write(mapper, response, callback, 403, new TokenHandler.Reply(TokenHandler.REFUSED, Map.of(),
                    "pages from " + origin + " may not use this server (allowedOrigins: " + policy + ")"));
            return true;
        }
        if (origin != null) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        if (HttpMethod.OPTIONS.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, ALLOW_METHODS);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
            if (origin != null && "true".equals(request.getHeaders().get("Access-Control-Request-Private-Network"))) {
                // Chrome asks before a page of a public site reaches this LAN server; the origin is allowed already.
                response.getHeaders().put("Access-Control-Allow-Private-Network", "true");
            }
            response.setStatus(204);
            callback.succeeded();
            return true;
        }
        return super.handle(request, response, callback);
    }
}
