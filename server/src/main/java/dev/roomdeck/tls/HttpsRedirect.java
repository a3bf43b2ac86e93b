package dev.roomdeck.tls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends browsers on other machines from the plain-HTTP web client to the HTTPS one: on http:// they would get
 * no camera or microphone. Requests from this PC stay on HTTP (localhost is a secure context), and so do /health,
 * /api/..., /ws and /socket.io/, which scripts and apps use on either port, and the /trust page with RoomDeck's CA
 * (a device must fetch the CA before it can trust the HTTPS port). A temporary redirect (302): switching HTTPS off
 * later must not leave browsers stuck on a cached one.
 */
public final class HttpsRedirect extends Handler.Wrapper {
    private final IntSupplier httpsPort;

    /** @param httpsPort the HTTPS port actually bound (asked per request: it is known only after start) */
    public HttpsRedirect(Handler next, IntSupplier httpsPort) {
        super(next);
        this.httpsPort = httpsPort;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        InetAddress client = remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
        Optional<String> target = target(request.isSecure(), client, request.getMethod(), request.getHttpURI(),
                httpsPort.getAsInt());
        if (target.isPresent()) {
            Response.sendRedirect(request, response, callback, HttpStatus.FOUND_302, target.get(), true);
            return true;
        }
        return super.handle(request, response, callback);
    }

    /** Where to send this request, or empty to serve it here. */
    static Optional<String> target(boolean secure, InetAddress client, String method, HttpURI uri, int httpsPort) {
        if (secure || client == null || client.isLoopbackAddress() || httpsPort <= 0 || uri.getHost() == null
                || !("GET".equals(method) || "HEAD".equals(method))) {
            return Optional.empty();
        }
        String path = uri.getPath() == null ? "/" : uri.getPath();
        if (path.equals(CertificateInfo.TRUST_PATH) || path.startsWith(CertificateInfo.TRUST_PATH + "/")
                || path.equals("/health") || path.equals("/ws") || path.startsWith("/api/") || path.startsWith("/socket.io/")) {
            return Optional.empty();
        }
        return Optional.of(HttpURI.build(uri).scheme("https").port(httpsPort).asString());
    }
}
