package dev.roomdeck.settings;

import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ConfigLoader;
import dev.roomdeck.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server this process runs, restartable with new settings: what the console's settings window works on.
 * Applying settings saves them (validated), tells every client {@code leave} with reason {@code restart}, stops
 * the server and starts a new one from the saved file; flags given at start still win over the file. If the new
 * server cannot start (a port in use), the former file comes back and the former settings run again.
 */
public final class LiveServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveServer.class);
    static final String RESTART_MESSAGE = "The server is restarting with new settings; reconnect in a few seconds.";

    private final CommandLine flags;
    private final SettingsStore store;
    private final List<Consumer<RoomDeckServer>> listeners = new CopyOnWriteArrayList<>();
    private volatile RoomDeckServer server;

    private LiveServer(CommandLine flags, RoomDeckServer server) {
        this.flags = flags;
        this.store = SettingsStore.forFlags(flags);
        this.server = server;
    }

    /** Starts with the start-up flags: defaults, then --config or the saved settings, then the flags. */
    public static LiveServer start(CommandLine flags) throws Exception {
        return new LiveServer(flags, RoomDeckServer.start(ConfigLoader.load(flags)));
    }

    /** Takes over a server already started from these flags (the console starts it before its window opens). */
    public static LiveServer of(CommandLine flags, RoomDeckServer running) {
        return new LiveServer(flags, running);
    }

    /** The server running now; it changes on every restart (see {@link #onRestart}). */
    public RoomDeckServer server() {
        return server;
    }

    public SettingsStore store() {
        return store;
    }

    /** The settings in use now (saved ones, with any start-up flags applied). */
    public Settings settings() {
        return Settings.of(server.config());
    }

    /** Called with the new server after each restart (the console re-binds its views to its admin API). */
    public void onRestart(Consumer<RoomDeckServer> listener) {
        listeners.add(listener);
    }

    /**
     * Settings that start-up flags fix: saving another value for them has no effect until the app is started
     * without that flag, so the console shows them read-only.
     */
    public List<String> fixedByFlags() {
        List<String> out = new ArrayList<>();
        if (flags.bind != null) out.add("bind");
        if (flags.mediaAddresses != null) out.add("mediaAddresses");
        if (flags.announcedAddress != null) out.add("announcedAddress");
        if (flags.httpPort != null) out.add("httpPort");
        if (flags.httpsPort != null) out.add("httpsPort");
        if (flags.mediaPort != null) out.add("mediaPort");
        if (flags.iceTcp != null) out.add("iceTcp");
        if (flags.metricsPort != null) out.add("metricsPort");
        if (flags.metricsBind != null) out.add("metricsBind");
        if (flags.tokenEndpoint != null) out.add("tokenEndpoint");
        if (flags.appKeys != null) out.add("appKeys");
        if (flags.tlsCertificate != null) out.add("tlsCertificate");
        if (flags.tlsKey != null) out.add("tlsKey");
        if (flags.tlsPassword != null) out.add("tlsPassword");
        if (flags.httpRedirect != null) out.add("httpRedirect");
        return out;
    }

    /**
     * Validates and saves the settings, then restarts the server with them. A bad setting throws a
     * {@link ConfigException} naming it, before anything is written or stopped. If the new server does not start,
     * the former file and server come back and the exception says why.
     */
    public synchronized RoomDeckServer apply(Settings settings) throws Exception {
        byte[] previous = store.snapshot();
        store.save(settings);
        ServerConfig next;
        try {
            next = ConfigLoader.load(flags);
        } catch (ConfigException e) {
            store.restore(previous);
            throw e;
        }
        try {
            return restart(next);
        } catch (Exception e) {
            store.restore(previous);
            throw e;
        }
    }

    /**
     * Tells every client to reconnect ({@code leave}, reason {@code restart}, close code 1001), stops the server
     * and starts one with this configuration. If that fails, the former configuration runs again and the failure
     * is thrown.
     */
    public synchronized RoomDeckServer restart(ServerConfig next) throws Exception {
        RoomDeckServer old = server;
        ServerConfig former = old.config();
        old.close("restart", RESTART_MESSAGE);
        try {
            server = RoomDeckServer.start(next);
        } catch (Exception e) {
            LOG.warn("the new settings did not start a server ({}); back to the former ones", e.toString());
            server = RoomDeckServer.start(former);
            listeners.forEach(l -> l.accept(server));
            throw new ConfigException("the server did not start with the new settings (" + e.getMessage()
                    + "); the former settings are in use again", e);
        }
        LOG.info("restarted with new settings: http {} https {} media {}", server.httpPort(), server.httpsPort(),
                server.mediaPort());
        listeners.forEach(l -> l.accept(server));
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
