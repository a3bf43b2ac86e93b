package dev.roomdeck.socketio;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Engine.IO liveness for one connection. On Engine.IO 4 the server pings every interval and expects the pong
 * within the timeout; on Engine.IO 3 the client pings and the server expects the next ping within interval +
 * timeout. Either way a silent client is closed, as the Socket.IO server does; the client applies the same rule
 * to us, so the direction must be right or healthy connections drop after the first interval.
 */
final class Heartbeat {
    private final Scheduler scheduler;
    private final EngineIoVersion version;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final Runnable sendPing;
    private final Runnable onSilence;
    private Scheduler.Task task;
    /** Bumped by every schedule, so a timer that fired while being replaced does nothing. */
    private long generation;
    private boolean awaitingPong;
    private boolean stopped;

    Heartbeat(Scheduler scheduler, EngineIoVersion version, SocketIoSettings settings,
              Runnable sendPing, Runnable onSilence) {
        this.scheduler = scheduler;
        this.version = version;
        this.intervalMillis = settings.pingInterval().toMillis();
        this.timeoutMillis = settings.pingTimeout().toMillis();
        this.sendPing = sendPing;
        this.onSilence = onSilence;
    }

    synchronized void start() {
        if (version.serverPings()) {
            schedule(this::ping, intervalMillis);
        } else {
            schedule(this::expire, intervalMillis + timeoutMillis);
        }
    }

    /** A client ping (Engine.IO 3): the client is alive; the next one is due within interval + timeout. */
    synchronized void pingReceived() {
        if (!stopped && !version.serverPings()) {
            schedule(this::expire, intervalMillis + timeoutMillis);
        }
    }

    /** A client pong (Engine.IO 4): the client is alive; ping again after the interval. */
    synchronized void pongReceived() {
        if (!stopped && awaitingPong) {
            awaitingPong = false;
            schedule(this::ping, intervalMillis);
        }
    }

    synchronized void stop() {
        stopped = true;
        if (task != null) {
            task.cancel();
        }
    }

    private void ping(long gen) {
        synchronized (this) {
            if (stopped || gen != generation) {
                return;
            }
            awaitingPong = true;
            schedule(this::expire, timeoutMillis);
        }
        sendPing.run();
    }

    private void expire(long gen) {
        synchronized (this) {
            if (stopped || gen != generation) {
                return;
            }
            stopped = true;
        }
        onSilence.run();
    }

    private void schedule(LongConsumer timer, long millis) {
        if (task != null) {
            task.cancel();
        }
        long gen = ++generation;
        task = scheduler.schedule(() -> timer.accept(gen), millis, TimeUnit.MILLISECONDS);
    }
}
