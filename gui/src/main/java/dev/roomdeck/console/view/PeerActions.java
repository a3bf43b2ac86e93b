package dev.roomdeck.console.view;

import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.console.command.Commands;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.RoomRow;
import dev.roomdeck.console.model.StreamRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.Window;

/**
 * The operator's actions on the selection: mute/unmute audio or video, kick, send a message. The same actions
 * appear as toolbar buttons, menu items with keyboard shortcuts, and the peers' context menu; their labels
 * follow the selection (Mute or Unmute). Everything here runs on the FX thread and only submits commands.
 */
public final class PeerActions {
    public static final KeyCombination AUDIO_KEY = new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    public static final KeyCombination VIDEO_KEY = new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    public static final KeyCombination KICK_KEY = new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    public static final KeyCombination MESSAGE_KEY = new KeyCodeCombination(KeyCode.M, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);

    static final String TO_ROOM = "Whole room";
    static final String TO_PEER = "Selected peer";

    private final Commands commands;
    private final Supplier<RoomRow> room;
    private final Supplier<PeerRow> peer;
    private final Supplier<StreamRow> stream;
    private final Supplier<Window> window;

    private final Button audio = button("muteAudio", "Mute audio", "Mute or unmute the selected stream's audio for everyone (Ctrl+Shift+A)");
    private final Button video = button("muteVideo", "Mute video", "Mute or unmute the selected stream's video for everyone (Ctrl+Shift+V)");
    private final Button kick = button("kick", "Kick…", "Remove the selected peer, with an optional reason (Ctrl+Shift+K, Delete)");
    private final Button stopShare = button("stopShare", "Stop share",
            "Stop the selected peer's screen share for everyone (select the screen stream when it has several)");
    private final MenuItem stopShareItem = new MenuItem("Stop share");
    private final MenuItem ctxStopShare = new MenuItem("Stop share");
    private final TextField messageText = new TextField();
    private final ComboBox<String> target = new ComboBox<>();
    private final Button send = button("sendMessage", "Send", "Send the message (Enter)");
    private final MenuItem audioItem = new MenuItem("Mute audio");
    private final MenuItem videoItem = new MenuItem("Mute video");
    private final MenuItem kickItem = new MenuItem("Kick…");
    private final MenuItem messageItem = new MenuItem("Message…");
    private final MenuItem ctxAudio = new MenuItem("Mute audio");
    private final MenuItem ctxVideo = new MenuItem("Mute video");
    private final MenuItem ctxKick = new MenuItem("Kick…");
    private final MenuItem ctxMessage = new MenuItem("Message this peer…");
    private final MenuItem ctxCopy = new MenuItem("Copy address");
    private final ContextMenu contextMenu = new ContextMenu(ctxAudio, ctxVideo, ctxStopShare, new SeparatorMenuItem(), ctxMessage,
            ctxCopy, new SeparatorMenuItem(), ctxKick);

    public PeerActions(Commands commands, Supplier<RoomRow> room, Supplier<PeerRow> peer, Supplier<StreamRow> stream,
                       Supplier<Window> window) {
        this.commands = commands;
        this.room = room;
        this.peer = peer;
        this.stream = stream;
        this.window = window;
        audio.setOnAction(e -> toggle(true));
        video.setOnAction(e -> toggle(false));
        kick.setOnAction(e -> kick());
        kick.getStyleClass().add("danger");
        stopShare.setOnAction(e -> stopShare());
        stopShareItem.setOnAction(e -> stopShare());
        ctxStopShare.setOnAction(e -> stopShare());
        audioItem.setAccelerator(AUDIO_KEY);
        videoItem.setAccelerator(VIDEO_KEY);
        kickItem.setAccelerator(KICK_KEY);
        messageItem.setAccelerator(MESSAGE_KEY);
        audioItem.setOnAction(e -> toggle(true));
        videoItem.setOnAction(e -> toggle(false));
        kickItem.setOnAction(e -> kick());
        messageItem.setOnAction(e -> focusMessage(false));
        ctxAudio.setOnAction(e -> toggle(true));
        ctxVideo.setOnAction(e -> toggle(false));
        ctxKick.setOnAction(e -> kick());
        ctxMessage.setOnAction(e -> focusMessage(true));
        ctxCopy.setOnAction(e -> {
            PeerRow p = peer.get();
            if (p != null) {
                ClipboardContent c = new ClipboardContent();
                c.putString(p.addressProperty().get());
                Clipboard.getSystemClipboard().setContent(c);
            }
        });
        messageText.setId("messageText");
        messageText.setPromptText("Message to the room or the selected peer (Ctrl+Shift+M)");
        messageText.setOnAction(e -> send());
        messageText.textProperty().addListener((o, a, b) -> refresh());
        HBox.setHgrow(messageText, Priority.ALWAYS);
        target.setId("messageTarget");
        target.getItems().addAll(TO_ROOM, TO_PEER);
        target.setValue(TO_ROOM);
        target.valueProperty().addListener((o, a, b) -> refresh());
        send.setOnAction(e -> send());
        // No refresh() here: the selection suppliers are wired up after construction; the owner calls it.
    }

    /** The toolbar: mute buttons, kick, and the message line. */
    public HBox toolbar() {
        HBox bar = new HBox(6, audio, video, stopShare, kick, new Label("  Message:"), messageText, new Label("to"), target, send);
        bar.setId("actions");
        bar.getStyleClass().add("actions");
        return bar;
    }

    /** The "Peer" menu, whose accelerators are the keyboard shortcuts. */
    public Menu menu() {
        Menu m = new Menu("_Peer");
        m.getItems().addAll(audioItem, videoItem, stopShareItem, new SeparatorMenuItem(), messageItem, new SeparatorMenuItem(), kickItem);
        return m;
    }

    public ContextMenu contextMenu() {
        return contextMenu;
    }

    /** Re-reads the selection and its mute state: labels say what a click would do, and are off when it cannot. */
    public void refresh() {
        PeerRow p = peer.get();
        List<StreamSnapshot> targets = targets();
        boolean noStreams = targets.isEmpty();
        String audioLabel = anyMutedByOperator(targets, true) ? "Unmute audio" : "Mute audio";
        String videoLabel = anyMutedByOperator(targets, false) ? "Unmute video" : "Mute video";
        audio.setText(audioLabel);
        audio.setDisable(noStreams);
        video.setText(videoLabel);
        video.setDisable(noStreams);
        audioItem.setText(audioLabel);
        ctxAudio.setText(audioLabel);
        videoItem.setText(videoLabel);
        ctxVideo.setText(videoLabel);
        audioItem.setDisable(noStreams);
        videoItem.setDisable(noStreams);
        ctxAudio.setDisable(noStreams);
        ctxVideo.setDisable(noStreams);
        StreamSnapshot share = shareTarget();
        stopShare.setDisable(share == null);
        stopShareItem.setDisable(share == null);
        ctxStopShare.setDisable(share == null);
        String shareLabel = share == null || p == null ? "Stop share" : "Stop " + p.streamLabel(share.msid());
        stopShareItem.setText(shareLabel);
        ctxStopShare.setText(shareLabel);
        kick.setDisable(p == null);
        kickItem.setDisable(p == null);
        // The context menu opens on one row: it says whom it acts on.
        ctxKick.setText(p == null ? "Kick…" : "Kick " + p.label() + "…");
        ctxMessage.setText(p == null ? "Message this peer…" : "Message " + p.label() + "…");
        boolean toPeer = TO_PEER.equals(target.getValue());
        send.setDisable(messageText.getText().isBlank() || room.get() == null || (toPeer && p == null));
    }

    /** The streams an action on "the selection" means: the selected stream, else all of the selected peer's. */
    List<StreamSnapshot> targets() {
        PeerRow p = peer.get();
        if (p == null) {
            return List.of();
        }
        StreamRow s = stream.get();
        List<StreamSnapshot> out = new ArrayList<>();
        for (StreamSnapshot snap : p.streams()) {
            if (s == null || s.msid().equals(snap.msid())) {
                out.add(snap);
            }
        }
        return out.isEmpty() ? p.streams() : out;
    }

    /**
     * The screen share "Stop share" means: the selected stream when it is one, else the selected peer's only
     * screen share; null when there is none (or several and none is selected).
     */
    StreamSnapshot shareTarget() {
        PeerRow p = peer.get();
        if (p == null) {
            return null;
        }
        StreamRow s = stream.get();
        List<StreamSnapshot> screens = new ArrayList<>();
        for (StreamSnapshot snap : p.streams()) {
            if ("screen".equals(snap.kind())) {
                if (s != null && s.msid().equals(snap.msid())) {
                    return snap;
                }
                screens.add(snap);
            }
        }
        return screens.size() == 1 ? screens.get(0) : null;
    }

    void stopShare() {
        PeerRow p = peer.get();
        StreamSnapshot share = shareTarget();
        if (p == null || share == null) {
            return;
        }
        commands.stopStream(p.roomId(), p.id(), p.label(), share.msid(), p.streamLabel(share.msid()));
    }

    private static boolean anyMutedByOperator(List<StreamSnapshot> streams, boolean audio) {
        return streams.stream().anyMatch(s -> audio ? s.audioMutedByOperator() : s.videoMutedByOperator());
    }

    void toggle(boolean isAudio) {
        PeerRow p = peer.get();
        List<StreamSnapshot> targets = targets();
        if (p == null || targets.isEmpty()) {
            return;
        }
        boolean mute = !anyMutedByOperator(targets, isAudio);
        commands.mute(p.roomId(), p.id(), p.label(), targets.stream().map(StreamSnapshot::msid).toList(), isAudio, mute);
    }

    public void kick() {
        PeerRow p = peer.get();
        if (p == null) {
            return;
        }
        KickDialog.show(window.get(), p, reason -> commands.kick(p.roomId(), p.id(), p.label(), reason));
    }

    private void focusMessage(boolean toPeer) {
        if (toPeer) {
            target.setValue(TO_PEER);
        }
        messageText.requestFocus();
    }

    void send() {
        String text = messageText.getText().trim();
        RoomRow r = room.get();
        if (text.isEmpty() || r == null) {
            return;
        }
        if (TO_PEER.equals(target.getValue())) {
            PeerRow p = peer.get();
            if (p == null) {
                return;
            }
            commands.message(p.roomId(), p.id(), p.label(), text);
        } else {
            commands.message(r.id(), null, null, text);
        }
        messageText.clear();
    }

    private static Button button(String id, String text, String tip) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setFocusTraversable(false);
        return b;
    }
}
