package dev.roomdeck.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** GET /health: 200 with a small JSON status while the server runs (for monitors and the installer check). */
final class HealthHandler extends Handler.Abstract.NonBlocking {
    private final ObjectMapper mapper;
    private final Supplier<Health> health;

    HealthHandler(ObjectMapper mapper, Supplier<Health> health) {
        this.mapper = mapper;
        this.health = health;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        JsonResponses.write(mapper, response, callback, 200, health.get());
        return true;
    }
}
