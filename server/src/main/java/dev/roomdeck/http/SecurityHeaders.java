package dev.roomdeck.http;

import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The headers a careful site sends with every page, file and API answer. The Content-Security-Policy fits the
 * bundled web client (assets/web): its scripts and styles are files of its own (no inline script, no style
 * attribute; CSSOM custom properties are not restricted), its one image is the data: favicon, video plays from
 * srcObject (which CSP does not govern), and it connects only to its own server: fetch /api, WebSocket /ws.
 * {@code 'self'} covers ws:/wss: to the page's own host in CSP 3 browsers; older ones (Safari before 15.4) need the
 * host spelled out, so it is, from the request's Host header when that is a plain host[:port].
 *
 * <p>Referrer-Policy is {@code same-origin}, not {@code no-referrer}: under no-referrer a browser sends
 * {@code Origin: null} with the page's own POSTs (fetch spec), and the token endpoint would refuse its own page.
 */
final class SecurityHeaders extends Handler.Wrapper {
    static final String CSP_FIXED = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'self'; connect-src 'self'";
    private static final Pattern PLAIN_AUTHORITY =
            Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(:\\d{1,5})?");

    SecurityHeaders(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        var headers = response.getHeaders();
        headers.put("Content-Security-Policy", policy(request.getHeaders().get(HttpHeader.HOST)));
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "same-origin");
        headers.put("X-Frame-Options", "SAMEORIGIN"); // frame-ancestors for browsers without CSP 2
        return super.handle(request, response, callback);
    }

    /** The policy for a page requested with this Host header (null or an odd one: 'self' alone). */
    static String policy(String host) {
        if (host == null || !PLAIN_AUTHORITY.matcher(host).matches()) {
            return CSP_FIXED;
        }
        return CSP_FIXED + " ws://" + host + " wss://" + host;
    }
}
