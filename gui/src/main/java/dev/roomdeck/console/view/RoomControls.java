package dev.roomdeck.console.view;

import dev.roomdeck.admin.KnockSnapshot;
import dev.roomdeck.console.command.Commands;
import dev.roomdeck.console.model.RoomRow;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The selected room's door and floor: lock or unlock it, set or clear its PIN, mute everyone but the speaker or
 * unmute everyone, open the room's display on this PC, and the people waiting at the door with Admit and Refuse.
 * Everything here runs on the FX thread and only submits commands; what it shows comes from the snapshots.
 */
public final class RoomControls {
    static final ButtonType SET_PIN = new ButtonType("Set PIN", ButtonBar.ButtonData.OK_DONE);

    private final Commands commands;
    private final Supplier<RoomRow> room;
    private final Supplier<Window> window;
    private final Consumer<RoomRow> openDisplay;
    private final Label state = new Label();
    private final Button lock = button("lockRoom", "Lock room",
            "Lock the door: newcomers wait at the door until you admit them (people inside stay)");
    private final Button pin = button("setPin", "Set PIN…", "Ask a PIN at join (empty removes it)");
    private final Button muteAll = button("muteAllButSpeaker", "Mute all but speaker",
            "Mute every microphone in this room except the current speaker's");
    private final Button unmuteAll = button("unmuteAll", "Unmute everyone",
            "Lift every microphone mute you set in this room");
    private final Button display = button("openDisplay", "Open room display",
            "Open this room's display page (the big screen) on this PC");
    private final Label lobbyTitle = new Label("Nobody at the door.");
    private final VBox lobby = new VBox(4);
    private final VBox box;
    private final MenuItem lockItem = new MenuItem("Lock room");
    private final MenuItem pinItem = new MenuItem("Set PIN…");
    private final MenuItem muteAllItem = new MenuItem("Mute everyone but the speaker");
    private final MenuItem unmuteAllItem = new MenuItem("Unmute everyone");
    private final MenuItem displayItem = new MenuItem("Open room display");
    private List<KnockSnapshot> shownLobby = List.of();
    private String shownRoom;

    public RoomControls(Commands commands, Supplier<RoomRow> room, Supplier<Window> window,
                        Consumer<RoomRow> openDisplay) {
        this.commands = commands;
        this.room = room;
        this.window = window;
        this.openDisplay = openDisplay;
        state.setId("doorState");
        state.setWrapText(true);
        lobby.setId("lobby");
        lobbyTitle.setId("lobbyTitle");
        lobbyTitle.setWrapText(true);
        lock.setOnAction(e -> toggleLock());
        lockItem.setOnAction(e -> toggleLock());
        pin.setOnAction(e -> askPin());
        pinItem.setOnAction(e -> askPin());
        muteAll.setOnAction(e -> muteAllButSpeaker());
        muteAllItem.setOnAction(e -> muteAllButSpeaker());
        unmuteAll.setOnAction(e -> unmuteAll());
        unmuteAllItem.setOnAction(e -> unmuteAll());
        display.setOnAction(e -> openDisplay());
        displayItem.setOnAction(e -> openDisplay());
        FlowPane buttons = new FlowPane(4, 4, lock, pin, muteAll, unmuteAll, display);
        box = new VBox(6, state, buttons, lobbyTitle, lobby);
        box.setId("roomControls");
        box.setStyle("-fx-padding: 4;");
        refresh();
    }

    public VBox node() {
        return box;
    }

    /** The "Room" menu: the same actions. */
    public Menu menu() {
        Menu m = new Menu("R_oom");
        m.getItems().addAll(lockItem, pinItem, new SeparatorMenuItem(), muteAllItem, unmuteAllItem,
                new SeparatorMenuItem(), displayItem);
        return m;
    }

    /** After a snapshot or a new selection: the door's state, the buttons' words, and who is waiting. */
    public void refresh() {
        RoomRow r = room.get();
        boolean none = r == null;
        for (Button b : List.of(lock, pin, muteAll, unmuteAll, display)) {
            b.setDisable(none);
        }
        for (MenuItem i : List.of(lockItem, pinItem, muteAllItem, unmuteAllItem, displayItem)) {
            i.setDisable(none);
        }
        if (none) {
            state.setText("Select a room.");
            showLobby(null, List.of());
            return;
        }
        boolean locked = r.lockedProperty().get();
        state.setText(doorText(r.id(), locked, r.pinSetProperty().get()));
        state.setStyle(locked ? "-fx-text-fill: #8a5a00; -fx-font-weight: bold;" : "");
        lock.setText(locked ? "Unlock room" : "Lock room");
        lockItem.setText(locked ? "Unlock room" : "Lock room");
        pin.setText(r.pinSetProperty().get() ? "Change PIN…" : "Set PIN…");
        showLobby(r, List.copyOf(r.lobby()));
    }

    /** "Room weekly is open · no PIN", "Room weekly is locked: newcomers knock · PIN set". */
    static String doorText(String room, boolean locked, boolean pinSet) {
        return "Room " + room + (locked ? " is locked: newcomers knock" : " is open") + " · "
                + (pinSet ? "PIN set" : "no PIN");
    }

    /** Rebuilt only when the people waiting change, so a click on Admit is never lost to a refresh. */
    private void showLobby(RoomRow r, List<KnockSnapshot> waiting) {
        String id = r == null ? null : r.id();
        if (java.util.Objects.equals(id, shownRoom) && waiting.equals(shownLobby)) {
            return;
        }
        shownRoom = id;
        shownLobby = waiting;
        lobby.getChildren().clear();
        if (waiting.isEmpty()) {
            lobbyTitle.setText(r == null ? "" : "Nobody at the door.");
            lobbyTitle.setStyle("");
            return;
        }
        lobbyTitle.setText(waiting.size() == 1 ? "1 person at the door:" : waiting.size() + " people at the door:");
        lobbyTitle.setStyle("-fx-text-fill: #8a5a00; -fx-font-weight: bold;");
        for (KnockSnapshot k : waiting) {
            lobby.getChildren().add(entry(r.id(), k));
        }
    }

    private HBox entry(String roomId, KnockSnapshot k) {
        String who = who(k);
        Label name = new Label(who);
        name.getStyleClass().add("knock-name");
        name.setStyle("-fx-font-weight: bold;");
        name.setTooltip(new Tooltip(who + "\nUser " + k.userId() + (k.address() == null ? "" : " · " + k.address())
                + (k.since() == null ? "" : "\nKnocking since " + Formats.clock(k.since()))));
        name.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(name, Priority.ALWAYS);
        Button admit = new Button("Admit");
        admit.getStyleClass().add("admit");
        admit.setUserData(k.knockId());
        admit.setOnAction(e -> commands.admit(roomId, k.knockId(), who));
        Button refuse = new Button("Refuse");
        refuse.getStyleClass().addAll("refuse", "danger");
        refuse.setUserData(k.knockId());
        refuse.setOnAction(e -> commands.refuse(roomId, k.knockId(), who));
        HBox row = new HBox(4, name, admit, refuse);
        row.getStyleClass().add("knock");
        row.setAlignment(Pos.CENTER_LEFT);
        row.setStyle("-fx-background-color: #fff4d6; -fx-padding: 3; -fx-background-radius: 4;");
        return row;
    }

    /** The person's typed name, else their user id. */
    public static String who(KnockSnapshot k) {
        return k.name() == null || k.name().isBlank() ? k.userId() : k.name();
    }

    private void toggleLock() {
        RoomRow r = room.get();
        if (r != null) {
            commands.lock(r.id(), !r.lockedProperty().get());
        }
    }

    private void muteAllButSpeaker() {
        RoomRow r = room.get();
        if (r != null) {
            commands.muteAllButSpeaker(r.id());
        }
    }

    private void unmuteAll() {
        RoomRow r = room.get();
        if (r != null) {
            commands.unmuteAll(r.id());
        }
    }

    private void openDisplay() {
        RoomRow r = room.get();
        if (r != null) {
            openDisplay.accept(r);
        }
    }

    /** A small dialog for the PIN (1–32 characters; empty removes it). Not modal-blocking: answers on close. */
    private void askPin() {
        RoomRow r = room.get();
        if (r == null) {
            return;
        }
        String roomId = r.id();
        Dialog<String> d = new Dialog<>();
        d.initOwner(window.get());
        d.setTitle("PIN of room " + roomId);
        d.setHeaderText("People joining " + roomId + " must type this PIN.");
        TextField field = new TextField();
        field.setId("pinField");
        field.setPromptText("1–32 characters; empty removes the PIN");
        Label hint = new Label(r.pinSetProperty().get() ? "The room has a PIN now (not shown again)."
                : "The room has no PIN now.");
        d.getDialogPane().setContent(new VBox(6, hint, field));
        d.getDialogPane().getButtonTypes().addAll(SET_PIN, ButtonType.CANCEL);
        javafx.scene.Node ok = d.getDialogPane().lookupButton(SET_PIN);
        ok.setId("confirmPin");
        ok.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> field.getText().strip().length() > 32, field.textProperty()));
        d.setResultConverter(b -> b == SET_PIN ? field.getText().strip() : null);
        d.setOnHidden(e -> Optional.ofNullable(d.getResult()).ifPresent(p -> commands.setPin(roomId, p)));
        d.show();
        Platform.runLater(field::requestFocus);
    }

    private static Button button(String id, String text, String tip) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setFocusTraversable(false);
        return b;
    }
}
