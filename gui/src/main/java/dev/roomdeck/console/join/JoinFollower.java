package dev.roomdeck.console.join;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the join help in step with this PC's address. Each snapshot names the addresses media is announced on;
 * when they differ from the previous snapshot's (the PC got another LAN address), the {@link JoinInfo} is built
 * again on a background thread (that reads the network interfaces, which may take a while) and handed to the FX
 * thread, which shows it when it differs from what is shown. Everything but the building happens on the FX thread.
 */
public final class JoinFollower {
    private static final Logger LOG = LoggerFactory.getLogger(JoinFollower.class);

    private final Executor background;
    private final Executor fxThread;
    private final Consumer<JoinInfo> show;
    private Supplier<JoinInfo> build;
    private JoinInfo shown;
    private List<String> addresses; // the previous snapshot's; null: none seen from this server yet
    private long generation;

    /**
     * @param background builds join information (never the FX thread)
     * @param fxThread   runs a task on the FX thread (Platform::runLater)
     * @param build      join information of the current server, built fresh
     * @param shown      what the window shows now
     * @param show       shows new join information (called on the FX thread, only when it changed)
     */
    public JoinFollower(Executor background, Executor fxThread, Supplier<JoinInfo> build, JoinInfo shown,
                        Consumer<JoinInfo> show) {
        this.background = background;
        this.fxThread = fxThread;
        this.build = build;
        this.shown = shown;
        this.show = show;
    }

    /**
     * The media addresses of a snapshot (FX thread). The first one of a server is what the shown information was
     * built with; every later change starts a rebuild.
     */
    public void addresses(List<String> now) {
        if (addresses == null) {
            addresses = List.copyOf(now);
            return;
        }
        if (addresses.equals(now)) {
            return;
        }
        addresses = List.copyOf(now);
        rebuild();
    }

    /** Another server (new settings): its join information is shown already; its addresses start afresh (FX thread). */
    public void use(Supplier<JoinInfo> next, JoinInfo nowShown) {
        generation++; // a rebuild for the former server still under way is not shown
        build = next;
        shown = nowShown;
        addresses = null;
    }

    private void rebuild() {
        long mine = ++generation;
        Supplier<JoinInfo> from = build;
        try {
            background.execute(() -> {
                JoinInfo next;
                try {
                    next = from.get();
                } catch (RuntimeException e) {
                    LOG.warn("could not rebuild the join information", e);
                    return;
                }
                fxThread.execute(() -> {
                    if (mine != generation || next.equals(shown)) {
                        return; // a later change or another server came first, or nothing to show
                    }
                    shown = next;
                    show.accept(next);
                });
            });
        } catch (RejectedExecutionException closed) {
            // the console is closing
        }
    }
}
