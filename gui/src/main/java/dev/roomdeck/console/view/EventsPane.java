package dev.roomdeck.console.view;

import dev.roomdeck.admin.ServerEvent;
import java.time.Instant;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;

/** What happened, newest first, with times: joins, leaves, kicks, mutes, errors, and the operator's own actions. */
public final class EventsPane {
    static final int MAX_LINES = 1000;

    /** One line of the pane; kind picks its style (join, leave, kick, stream, mute, room, warning, error, operator). */
    public record Line(Instant time, String kind, String roomId, String text) {
        @Override
        public String toString() {
            return Formats.clock(time) + "  " + (roomId == null ? "" : "[" + roomId + "]  ") + text;
        }
    }

    /** What the console calls a peer of a room (its name, made distinct); the id when it does not know. */
    @FunctionalInterface
    public interface PeerNames {
        String label(String roomId, String peerId);

        PeerNames IDS = (roomId, peerId) -> peerId;
    }

    static final String NEGOTIATION_FAILED = "negotiation-failed";
    /** How the server starts a negotiation-failed message; the rest is the browser's words. */
    private static final String SERVER_PREFIX = "the browser could not apply the server's offer: ";
    /** Lines longer than this have a tooltip with the whole text (the cell cuts them at its width). */
    static final int LONG_LINE = 90;

    private final ObservableList<Line> lines = FXCollections.observableArrayList();
    private final ListView<Line> view = new ListView<>(lines);
    private final PeerNames names;
    /** knockId → who knocks, while they wait (the end of a knock names only its id). */
    private final java.util.Map<String, String> knocks = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, String> eldest) {
            return size() > 1000;
        }
    };

    /** Events that name peers by id (for a pane without a model). */
    public EventsPane() {
        this(PeerNames.IDS);
    }

    /** @param names how to call the peers events mention, as the console knows them when the event arrives */
    public EventsPane(PeerNames names) {
        this.names = names;
        view.setId("events");
        view.getStyleClass().add("events");
        view.setCellFactory(v -> new ListCell<>() {
            private Tooltip tip;

            @Override
            protected void updateItem(Line item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeIf(s -> s.startsWith("event-"));
                if (empty || item == null) {
                    setText(null);
                    setTooltip(null);
                } else {
                    String text = item.toString();
                    setText(text);
                    getStyleClass().add("event-" + item.kind());
                    if (text.length() > LONG_LINE) {
                        if (tip == null) {
                            tip = new Tooltip();
                            tip.setWrapText(true);
                            tip.setMaxWidth(640);
                            tip.setShowDuration(javafx.util.Duration.INDEFINITE);
                        }
                        tip.setText(text);
                        setTooltip(tip);
                    } else {
                        setTooltip(null);
                    }
                }
            }
        });
    }

    public ListView<Line> node() {
        return view;
    }

    public ObservableList<Line> lines() {
        return lines;
    }

    public void add(ServerEvent e) {
        if (e instanceof ServerEvent.Knock k) {
            knocks.put(k.knockId(), k.name() == null || k.name().isBlank() ? k.userId() : k.name());
        }
        add(line(e, names, knocks));
        if (e instanceof ServerEvent.KnockEnded k) {
            knocks.remove(k.knockId());
        }
    }

    public void add(Line line) {
        // Speaker changes come often in a lively meeting: the newest replaces one just above it of the same room.
        if (line.kind().equals("speaker") && !lines.isEmpty() && lines.get(0).kind().equals("speaker")
                && java.util.Objects.equals(lines.get(0).roomId(), line.roomId())) {
            lines.set(0, line);
            return;
        }
        lines.add(0, line);
        if (lines.size() > MAX_LINES) {
            lines.remove(MAX_LINES, lines.size());
        }
    }

    public void note(String kind, String roomId, String text) {
        add(new Line(Instant.now(), kind, roomId, text));
    }

    static Line line(ServerEvent e, PeerNames names) {
        return line(e, names, java.util.Map.of());
    }

    /** @param knocks who waits under which knockId (to name them when their knock ends) */
    static Line line(ServerEvent e, PeerNames names, java.util.Map<String, String> knocks) {
        if (e instanceof ServerEvent.Knock k) {
            String who = k.name() == null || k.name().isBlank() ? k.userId() : k.name();
            return new Line(k.time(), "knock", k.roomId(), who + (k.address() == null ? "" : " (" + k.address() + ")")
                    + " knocks at the locked door: admit or refuse");
        }
        if (e instanceof ServerEvent.KnockEnded k) {
            String who = knocks.getOrDefault(k.knockId(), "Someone");
            String what = switch (k.outcome()) {
                case "admitted" -> " was admitted";
                case "refused" -> " was refused at the door";
                case "gone" -> " stopped waiting at the door";
                case "unlocked" -> " came in: the door was unlocked";
                default -> " no longer waits (" + k.outcome() + ")";
            };
            return new Line(k.time(), "knock", k.roomId(), who + what);
        }
        if (e instanceof ServerEvent.StreamStopped st) {
            return new Line(st.time(), "operator", st.roomId(), "The operator stopped "
                    + who(names, st.roomId(), st.peerId()) + "'s stream " + st.msid() + " for everyone");
        }
        if (e instanceof ServerEvent.SpeakerChanged sp) {
            return new Line(sp.time(), "speaker", sp.roomId(), sp.peerId() == null ? "Nobody is speaking now"
                    : who(names, sp.roomId(), sp.peerId()) + " is speaking now");
        }
        if (e instanceof ServerEvent.DoorChanged d) {
            return new Line(d.time(), "room", d.roomId(), (d.locked() ? "The door is locked: newcomers knock"
                    : "The door is open") + (d.pinSet() ? "; a PIN is asked" : "; no PIN"));
        }
        if (e instanceof ServerEvent.PeerJoined j) {
            return new Line(j.time(), "join", j.roomId(), who(names, j.roomId(), j.peerId()) + " joined from " + j.address());
        }
        if (e instanceof ServerEvent.PeerLeft l) {
            String who = who(names, l.roomId(), l.peerId());
            return new Line(l.time(), l.reason().equals("kicked") ? "kick" : "leave", l.roomId(),
                    who + (l.reason().equals("kicked") ? " was kicked" : " left (" + l.reason() + ")"));
        }
        if (e instanceof ServerEvent.StreamAdded a) {
            return new Line(a.time(), "stream", a.roomId(), who(names, a.roomId(), a.peerId()) + " published " + a.msid());
        }
        if (e instanceof ServerEvent.StreamRemoved r) {
            return new Line(r.time(), "stream", r.roomId(), who(names, r.roomId(), r.peerId()) + " withdrew " + r.msid());
        }
        if (e instanceof ServerEvent.StreamMuted m) {
            return new Line(m.time(), "mute", m.roomId(),
                    who(names, m.roomId(), m.peerId()) + "'s " + m.msid() + ": " + describe(m));
        }
        if (e instanceof ServerEvent.RoomOpened o) {
            return new Line(o.time(), "room", o.roomId(), "room opened");
        }
        if (e instanceof ServerEvent.RoomClosed c) {
            return new Line(c.time(), "room", c.roomId(), "room closed");
        }
        if (e instanceof ServerEvent.ClientError err) {
            return clientError(err, names);
        }
        return new Line(e.time(), "room", e.roomId(), e.toString());
    }

    /**
     * An error the server sent a client. A browser that could not apply an offer (negotiation-failed) is a warning
     * in the person's name with the browser's own words; anything else names the code and the server's message.
     */
    private static Line clientError(ServerEvent.ClientError err, PeerNames names) {
        String who = err.peerId() == null ? "a client" : who(names, err.roomId(), err.peerId());
        String message = oneLine(err.message());
        if (NEGOTIATION_FAILED.equals(err.code())) {
            String words = message.startsWith(SERVER_PREFIX) ? message.substring(SERVER_PREFIX.length()) : message;
            return new Line(err.time(), "warning", err.roomId(), who + "'s browser could not apply the server's offer"
                    + (words.isBlank() ? "" : ": " + words));
        }
        return new Line(err.time(), "error", err.roomId(), who + ": " + err.code() + " — " + message);
    }

    private static String who(PeerNames names, String roomId, String peerId) {
        String label = names.label(roomId, peerId);
        return label == null ? peerId : label;
    }

    /** Browsers' messages may span lines; a line of the pane is one line (its tooltip has it all). */
    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static String describe(ServerEvent.StreamMuted m) {
        return "audio " + who(m.audioMuted(), m.audioByOperator()) + ", video " + who(m.videoMuted(), m.videoByOperator());
    }

    private static String who(boolean muted, boolean byOperator) {
        return !muted ? "on" : byOperator ? "muted by operator" : "muted by peer";
    }
}
