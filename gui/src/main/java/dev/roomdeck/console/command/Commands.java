package dev.roomdeck.console.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.admin.AdminApi;
import dev.roomdeck.admin.AdminException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's commands, run one after another on a background thread (they may block briefly on the
 * room's lock or a WebSocket), with the outcome reported back on the FX thread. The FX thread only submits.
 */
public final class Commands implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    /** One call into the admin API. */
    @FunctionalInterface
    interface AdminCall {
        void run(AdminApi admin) throws AdminException;
    }

    /** The admin API's code for a peer that is not (or no longer) in the room. */
    static final String UNKNOWN_PEER = "unknown-peer";

    private volatile AdminApi admin;
    private final Executor fxThread;
    private final Feedback feedback;
    private final Runnable afterEach;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "console-commands");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param fxThread  runs a task on the FX thread (Platform::runLater)
     * @param afterEach runs (on the command thread) after each command, e.g. to refresh the tables at once
     */
    public Commands(AdminApi admin, Executor fxThread, Feedback feedback, Runnable afterEach) {
        this.admin = admin;
        this.fxThread = fxThread;
        this.feedback = feedback;
        this.afterEach = afterEach;
    }

    /** Sends the next commands to another server (the one new settings started). */
    public void use(AdminApi next) {
        admin = next;
    }

    /**
     * Mutes or unmutes one kind of each of these streams of a peer.
     *
     * @param who what the console calls the peer (its name), for the outcome the operator reads
     */
    public void mute(String roomId, String peerId, String who, List<String> msids, boolean audio, boolean muted) {
        String what = (muted ? "Muted " : "Unmuted ") + (audio ? "audio" : "video") + " of " + who
                + " (" + String.join(", ", msids) + ")";
        submit(what, who, roomId, a -> {
            for (String msid : msids) {
                a.mute(roomId, peerId, msid, audio, muted);
            }
        });
    }

    /** Removes a peer (called who); it sees the reason (may be empty). */
    public void kick(String roomId, String peerId, String who, String reason) {
        String what = "Kicked " + who + " from " + roomId + (reason.isEmpty() ? "" : ": " + reason);
        submit(what, who, roomId, a -> a.kick(roomId, peerId, reason.isEmpty() ? null : reason));
    }

    /** Sends {"text": ...} from "operator" to one peer (called who), or to the whole room when peerId is null. */
    public void message(String roomId, String peerId, String who, String text) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("text", text);
        String what = "Sent to " + (peerId == null ? "room " + roomId : who) + ": " + text;
        submit(what, peerId == null ? null : who, roomId, a -> a.message(roomId, peerId, data));
    }

    /** Locks the room's door (newcomers wait in the lobby) or unlocks it (everyone waiting comes in). */
    public void lock(String roomId, boolean locked) {
        submit((locked ? "Locked room " : "Unlocked room ") + roomId
                + (locked ? ": newcomers wait until you admit them" : ""), null, roomId, a -> a.lock(roomId, locked));
    }

    /** Sets the room's PIN; null or blank removes it. */
    public void setPin(String roomId, String pin) {
        boolean clear = pin == null || pin.isBlank();
        submit(clear ? "Removed the PIN of room " + roomId : "Set a PIN for room " + roomId, null, roomId,
                a -> a.setPin(roomId, clear ? null : pin.strip()));
    }

    /** Lets in the person (called who) waiting under knockId. */
    public void admit(String roomId, String knockId, String who) {
        submit("Admitted " + who + " to " + roomId, null, roomId, a -> a.admit(roomId, knockId));
    }

    /** Refuses the person (called who) waiting under knockId. */
    public void refuse(String roomId, String knockId, String who) {
        submit("Refused " + who + " at " + roomId, null, roomId, a -> a.refuse(roomId, knockId));
    }

    /** Stops a stream (a screen share, called what) of a peer (called who) for everyone. */
    public void stopStream(String roomId, String peerId, String who, String msid, String name) {
        submit("Stopped " + name + " (" + msid + ")", who, roomId, a -> a.stopStream(roomId, peerId, msid));
    }

    /** Mutes every microphone of the room but the dominant speaker's. */
    public void muteAllButSpeaker(String roomId) {
        query(null, roomId, a -> {
            int n = a.muteAllButSpeaker(roomId);
            return "Muted everyone but the speaker in " + roomId + " (" + n + (n == 1 ? " microphone)" : " microphones)");
        }, "Mute everyone but the speaker in " + roomId);
    }

    /** Lifts every operator audio mute in the room. */
    public void unmuteAll(String roomId) {
        query(null, roomId, a -> {
            int n = a.unmuteAll(roomId);
            return "Unmuted everyone in " + roomId + " (" + n + (n == 1 ? " microphone)" : " microphones)");
        }, "Unmute everyone in " + roomId);
    }

    /** One call into the admin API whose outcome the operator reads is known only after it ran. */
    @FunctionalInterface
    interface AdminQuery {
        String run(AdminApi admin) throws AdminException;
    }

    /** who/roomId (may be null): the peer the command is about, to say it in words when it has gone. */
    private void submit(String what, String who, String roomId, AdminCall call) {
        query(who, roomId, a -> {
            call.run(a);
            return what;
        }, what);
    }

    /** Runs call on the command thread; its text is the success the operator reads, what names it on failure. */
    private void query(String who, String roomId, AdminQuery call, String what) {
        try {
            thread.execute(() -> {
                try {
                    String done = call.run(admin); // the server running when the command's turn comes
                    fxThread.execute(() -> feedback.succeeded(done));
                } catch (AdminException e) {
                    String why = who != null && UNKNOWN_PEER.equals(e.code())
                            ? who + " is no longer in room " + roomId : e.getMessage();
                    fxThread.execute(() -> feedback.failed(what, why));
                } catch (RuntimeException e) {
                    LOG.warn("command failed: {}", what, e);
                    fxThread.execute(() -> feedback.failed(what, String.valueOf(e.getMessage())));
                } finally {
                    afterEach.run();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            feedback.failed(what, "the console is closing");
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
