package dev.roomdeck.socketio;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * CORS for long-polling. Browsers poll from the app's own origin, and with credentials (socket.io-client 2.x
 * sets {@code withCredentials} by default, later versions on request), so an allowed origin is named back
 * exactly, with {@code Access-Control-Allow-Credentials: true}; a wildcard would make the browser drop the answer.
 */
final class Cors {
    static final String METHODS = "GET, POST, OPTIONS";
    /** What engine.io-client sends besides simple headers; any headers an app adds itself are asked for in the preflight. */
    static final String DEFAULT_HEADERS = "Content-Type";
    private static final HttpField VARY = new HttpField(HttpHeader.VARY, "Origin");

    private Cors() {
    }

    /**
     * The headers of every answer: {@code Vary: Origin} (answers differ by origin), and for an allowed browser
     * page (origin not null) its origin with credentials.
     */
    static void allow(Response response, String origin) {
        response.getHeaders().add(VARY);
        if (origin != null) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    /** The extra headers of a preflight answer: what may follow, and for how long the browser may remember it. */
    static void preflight(Request request, Response response) {
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
        String asked = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS,
                asked != null && asked.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+(\\s*,\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*")
                        ? asked : DEFAULT_HEADERS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
        if ("true".equals(request.getHeaders().get("Access-Control-Request-Private-Network"))) {
            // Chrome asks before a page on a public site reaches this LAN server; the origin is allowed already.
            response.getHeaders().put("Access-Control-Allow-Private-Network", "true");
        }
    }
}
