package dev.roomdeck.signal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every open signalling session, so that shutdown can tell each client, joined or not. */
public final class SessionRegistry {
    private final Set<SignalSession> sessions = ConcurrentHashMap.newKeySet();

    void add(SignalSession s) {
        sessions.add(s);
    }

    void remove(SignalSession s) {
        sessions.remove(s);
    }

    public int size() {
        return sessions.size();
    }

    /** Tells every client why the server is going away and closes its connection. */
    public void closeAll(String reason, String message) {
        for (SignalSession s : Set.copyOf(sessions)) {
            s.close(reason, message);
        }
    }
}
