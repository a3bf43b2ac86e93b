package dev.roomdeck.socketio;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * HTTP long-polling: the client keeps one GET waiting, and the server answers it with every packet queued for
 * the client, as one payload. A GET is held until there is something to send or until the session releases it
 * with a noop (at the latest after the ping interval, and at once while the client upgrades). Client packets
 * arrive by POST and do not pass through here.
 */
final class PollingTransport implements Transport {
    static final String TEXT = "text/plain; charset=UTF-8";

    /** The waiting GET, with the timer that releases it. */
    static final class Held {
        private final Response response;
        private final Callback callback;
        private Scheduler.Task timer;

        private Held(Response response, Callback callback) {
            this.response = response;
            this.callback = callback;
        }

        void timer(Scheduler.Task t) {
            timer = t;
        }
    }

    private final EngineIoVersion version;
    private Held held;

    PollingTransport(EngineIoVersion version) {
        this.version = version;
    }

    /** Holds this GET; null when one is held already, which no client does (it polls once at a time). */
    Held hold(Response response, Callback callback) {
        if (held != null) {
            return null;
        }
        held = new Held(response, callback);
        return held;
    }

    boolean holds(Held h) {
        return h != null && held == h;
    }

    @Override
    public boolean writable() {
        return held != null;
    }

    @Override
    public void write(List<String> packets) {
        Held h = held;
        held = null;
        if (h.timer != null) {
            h.timer.cancel();
        }
        answer(h.response, h.callback, Payload.encode(version, packets));
    }

    /** A 200 with a text payload: the answer to a GET, and "ok" to a POST. */
    static void answer(Response response, Callback callback, String body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
