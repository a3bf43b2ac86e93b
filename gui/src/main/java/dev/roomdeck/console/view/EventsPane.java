package dev.roomdeck.console.view;

import dev.roomdeck.room.MuteState;
import dev.roomdeck.room.RoomEvent;
import java.time.Instant;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;

/** What happened, newest first, with times: joins, leaves, kicks, mutes, errors, and the operator's own actions. */
public final class EventsPane {
    static final int MAX_LINES = 1000;

    /** One line of the pane; kind picks its style (join, leave, kick, stream, mute, room, error, operator). */
    public record Line(Instant time, String kind, String roomId, String text) {
        @Override
        public String toString() {
            return Formats.clock(time) + "  " + (roomId == null ? "" : "[" + roomId + "]  ") + text;
        }
    }

    private final ObservableList<Line> lines = FXCollections.observableArrayList();
    private final ListView<Line> view = new ListView<>(lines);

    public EventsPane() {
        view.setId("events");
        view.getStyleClass().add("events");
        view.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Line item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeIf(s -> s.startsWith("event-"));
                if (empty || item == null) {
                    setText(null);
                } else {
                    setText(item.toString());
                    getStyleClass().add("event-" + item.kind());
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

    public void add(RoomEvent e) {
        add(line(e));
    }

    public void add(Line line) {
        lines.add(0, line);
        if (lines.size() > MAX_LINES) {
            lines.remove(MAX_LINES, lines.size());
        }
    }

    public void note(String kind, String roomId, String text) {
        add(new Line(Instant.now(), kind, roomId, text));
    }

    static Line line(RoomEvent e) {
        if (e instanceof RoomEvent.PeerJoined j) {
            return new Line(j.time(), "join", j.roomId(), j.peerId() + " joined from " + j.address());
        }
        if (e instanceof RoomEvent.PeerLeft l) {
            return new Line(l.time(), l.reason().equals("kicked") ? "kick" : "leave", l.roomId(),
                    l.peerId() + (l.reason().equals("kicked") ? " was kicked" : " left (" + l.reason() + ")"));
        }
        if (e instanceof RoomEvent.StreamAdded a) {
            return new Line(a.time(), "stream", a.roomId(), a.peerId() + " published " + a.msid());
        }
        if (e instanceof RoomEvent.StreamRemoved r) {
            return new Line(r.time(), "stream", r.roomId(), r.peerId() + " withdrew " + r.msid());
        }
        if (e instanceof RoomEvent.StreamMuted m) {
            return new Line(m.time(), "mute", m.roomId(), m.peerId() + "'s " + m.msid() + ": " + describe(m.mute()));
        }
        if (e instanceof RoomEvent.RoomOpened o) {
            return new Line(o.time(), "room", o.roomId(), "room opened");
        }
        if (e instanceof RoomEvent.RoomClosed c) {
            return new Line(c.time(), "room", c.roomId(), "room closed");
        }
        if (e instanceof RoomEvent.ClientError err) {
            return new Line(err.time(), "error", err.roomId(),
                    (err.peerId() == null ? "a client" : err.peerId()) + ": " + err.code() + " — " + err.message());
        }
        return new Line(e.time(), "room", e.roomId(), e.toString());
    }

    static String describe(MuteState m) {
        return "audio " + who(m.audioMuted(), m.audioByOperator()) + ", video " + who(m.videoMuted(), m.videoByOperator());
    }

    private static String who(boolean muted, boolean byOperator) {
        return !muted ? "on" : byOperator ? "muted by operator" : "muted by peer";
    }
}
