package dev.roomdeck.console;

import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.admin.ServerEvent;
import dev.roomdeck.console.command.Commands;
import dev.roomdeck.console.command.Feedback;
import dev.roomdeck.console.feed.SnapshotFeed;
import dev.roomdeck.console.feed.Update;
import dev.roomdeck.console.join.PageOpener;
import dev.roomdeck.console.join.JoinFollower;
import dev.roomdeck.console.join.JoinPane;
import dev.roomdeck.console.join.RoomLinks;
import dev.roomdeck.console.join.JoinInfo;
import dev.roomdeck.console.settings.SettingsWindow;
import dev.roomdeck.console.model.ConsoleModel;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.RoomRow;
import dev.roomdeck.console.view.BitrateChart;
import dev.roomdeck.console.view.EventsPane;
import dev.roomdeck.console.view.NetworkDoctorPane;
import dev.roomdeck.console.view.PeerActions;
import dev.roomdeck.console.view.PeersTable;
import dev.roomdeck.console.view.RoomControls;
import dev.roomdeck.console.view.RoomsPane;
import dev.roomdeck.console.view.StatusBar;
import dev.roomdeck.console.view.StreamsTable;
import dev.roomdeck.console.view.Toast;
import dev.roomdeck.settings.LiveServer;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TitledPane;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The operator's window over one in-process server. Reads the server only through its admin API: snapshots
 * and events arrive from {@link SnapshotFeed} in batches on the FX thread, commands leave through
 * {@link Commands} on their own thread; the FX thread never waits on the server. Over a {@link LiveServer} it
 * also edits the settings, and follows each restarted server (feed, commands, join help).
 */
public final class Console implements AutoCloseable {
    public static final Duration POLL = Duration.ofSeconds(1);

    private final ConsoleModel model = new ConsoleModel(Instant.now());
    private final Stage stage;
    private final Toast toast = new Toast();
    private final EventsPane events = new EventsPane(model::peerLabel);
    private final SnapshotFeed feed;
    private final Commands commands;
    private final StatusBar status;
    private final RoomsPane rooms;
    private final PeersTable peers;
    private final StreamsTable streams = new StreamsTable();
    private final NetworkDoctorPane doctor = new NetworkDoctorPane();
    private final BitrateChart chart = new BitrateChart(model);
    private final PeerActions actions;
    private final RoomControls roomControls;
    /** Opens a page on this PC (tests replace it: no browser is started from a test). */
    private volatile java.util.function.Consumer<String> browser = url -> PageOpener.open(url,
            why -> Platform.runLater(() -> toast.show("Could not open " + url + ": " + why, true)));
    /** Rings when someone knocks (tests replace it). */
    private volatile Runnable bell = PageOpener::beep;
    private final LiveServer live; // null: a fixed server, no settings window
    private final ExecutorService settingsThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "console-settings");
        t.setDaemon(true);
        return t;
    });
    /** Rebuilds the join help when this PC's address changes (reads the network interfaces: never the FX thread). */
    private final ExecutorService joinThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "console-join");
        t.setDaemon(true);
        return t;
    });
    private final JoinFollower joinFollower;
    private JoinInfo join;
    private JoinPane joinPane;
    private volatile boolean closed;

    private Console(Stage stage, RoomDeckServer server, LiveServer live) {
        this.stage = stage;
        this.live = live;
        this.join = JoinInfo.of(server);
        this.joinFollower = new JoinFollower(joinThread, Platform::runLater, () -> JoinInfo.of(server), join,
                this::addressChanged);
        this.feed = new SnapshotFeed(server.admin(), Platform::runLater, this::apply);
        this.commands = new Commands(server.admin(), Platform::runLater, new Feedback() {
            @Override
            public void succeeded(String what) {
                toast.show(what, false);
                events.note("operator", null, what);
            }

            @Override
            public void failed(String what, String why) {
                toast.show("Failed: " + why, true);
                events.note("error", null, "Failed (" + what + "): " + why);
            }
        }, feed::refreshSoon);
        this.status = new StatusBar(join);
        this.rooms = new RoomsPane(model.rooms());
        this.actions = new PeerActions(commands, this::selectedRoom, this::selectedPeer,
                () -> streams.selectedProperty().get(), () -> stage);
        this.peers = new PeersTable(actions.contextMenu());
        this.roomControls = new RoomControls(commands, this::selectedRoom, () -> stage, this::openDisplay);
    }

    /** Opens the room's display page on this PC (an app window of Chromium when there is one). */
    private void openDisplay(RoomRow room) {
        String url = RoomLinks.display(join, room.id());
        browser.accept(url);
        toast.show("Opening the display of room " + room.id() + ": " + url, false);
        events.note("operator", room.id(), "Opened the room display: " + url);
    }

    /** Where "Open room display" opens its page (tests: anything but a real browser). */
    public void openUrlsWith(java.util.function.Consumer<String> opener) {
        browser = opener;
    }

    /** What rings when someone knocks (tests: anything but the desktop's beep). */
    public void ringWith(Runnable ring) {
        bell = ring;
    }

    /** Builds the window on this stage and starts the feed at the default rate (1 Hz). Call on the FX thread. */
    public static Console open(Stage stage, RoomDeckServer server) {
        return open(stage, server, POLL);
    }

    public static Console open(Stage stage, RoomDeckServer server, Duration pollEvery) {
        Console c = new Console(stage, server, null);
        c.layout();
        c.feed.start(pollEvery);
        return c;
    }

    /** Over a restartable server: the settings window can apply new settings, and the console follows. */
    public static Console open(Stage stage, LiveServer live) {
        return open(stage, live, POLL);
    }

    public static Console open(Stage stage, LiveServer live, Duration pollEvery) {
        Console c = new Console(stage, live.server(), live);
        c.layout();
        c.feed.start(pollEvery);
        live.onRestart(next -> Platform.runLater(() -> c.follow(next)));
        return c;
    }

    /**
     * Binds everything to the server new settings started (on the FX thread): the feed and commands use its
     * admin API, the join help its ports and certificate. The former server's rooms vanish with the next snapshot.
     */
    private void follow(RoomDeckServer next) {
        if (closed) {
            return;
        }
        feed.use(next.admin());
        commands.use(next.admin());
        join = JoinInfo.of(next);
        joinFollower.use(() -> JoinInfo.of(next), join);
        joinPane.show(join);
        status.showJoin(join);
        stage.setTitle(title());
        events.note("operator", null, "Server restarted: join at " + join.shareUrl() + ", media UDP "
                + next.mediaPort());
    }

    /** This PC's address changed (join information rebuilt off the FX thread): URLs, QR codes and title follow. */
    private void addressChanged(JoinInfo next) {
        if (closed) {
            return;
        }
        join = next;
        joinPane.show(join);
        status.showJoin(join);
        stage.setTitle(title());
        events.note("operator", null, "This PC's address changed: join at " + join.shareUrl());
    }

    /** Opens the settings window (menu RoomDeck → Settings…, Ctrl+,). */
    public void openSettings() {
        if (live == null) {
            toast.show("Settings are fixed: this console runs a server it cannot restart", true);
            return;
        }
        SettingsWindow.open(stage, live, settingsThread, next ->
                toast.show("Settings saved; the server restarted. Join at " + JoinInfo.of(next).shareUrl(), false));
    }

    private String title() {
        return "RoomDeck console — " + join.shareUrl();
    }

    private void layout() {
        rooms.selectedProperty().addListener((o, a, room) -> {
            peers.show(room);
            selectionChanged();
        });
        peers.selectedProperty().addListener((o, a, p) -> {
            streams.show(p);
            doctor.show(p);
            selectionChanged();
        });
        streams.selectedProperty().addListener((o, a, s) -> actions.refresh());
        peers.node().setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE) {
                actions.kick();
            }
        });

        Label roomsTitle = new Label("Rooms");
        roomsTitle.getStyleClass().add("pane-title");
        joinPane = new JoinPane(join, url -> toast.show("Copied " + url, false));
        TitledPane roomBox = new TitledPane("Door and floor", roomControls.node());
        roomBox.setId("roomBox");
        roomBox.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        TitledPane joinBox = new TitledPane("Join", joinPane.node());
        joinBox.setId("joinBox");
        joinBox.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox left = new VBox(4, roomsTitle, rooms.node(), roomBox, joinBox);
        left.getStyleClass().add("left-column");
        VBox.setVgrow(rooms.node(), Priority.ALWAYS);

        Label eventsTitle = new Label("Events");
        eventsTitle.getStyleClass().add("pane-title");
        VBox eventsBox = new VBox(2, eventsTitle, events.node());
        VBox.setVgrow(events.node(), Priority.ALWAYS);

        SplitPane detail = new SplitPane(streams.node(), doctor.node(), chart.node());
        detail.setDividerPositions(0.44, 0.68);
        SplitPane.setResizableWithParent(doctor.node(), false); // a wider window goes to the streams and the chart
        SplitPane right = new SplitPane(peers.node(), detail, eventsBox);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.38, 0.78);
        SplitPane main = new SplitPane(left, right);
        main.setDividerPositions(0.2);
        SplitPane.setResizableWithParent(left, false);

        BorderPane border = new BorderPane(main);
        border.setTop(new VBox(menuBar(), actions.toolbar()));
        border.setBottom(status.node());
        StackPane root = new StackPane(border, toast.node());
        root.setId("console");

        Scene scene = new Scene(root, 1280, 820);
        URL css = Console.class.getResource("console.css");
        if (css != null) {
            scene.getStylesheets().add(css.toExternalForm());
        }
        stage.setScene(scene);
        stage.setTitle(title());
        selectionChanged();
    }

    private MenuBar menuBar() {
        MenuItem refresh = new MenuItem("Refresh now");
        refresh.setAccelerator(new KeyCodeCombination(KeyCode.F5));
        refresh.setOnAction(e -> feed.refreshSoon());
        MenuItem copy = new MenuItem("Copy join URL");
        copy.setAccelerator(new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(join.shareUrl());
            Clipboard.getSystemClipboard().setContent(c);
            toast.show("Copied " + join.shareUrl(), false);
        });
        MenuItem settings = new MenuItem("Settings…");
        settings.setId("settingsMenu");
        settings.setAccelerator(new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN));
        settings.setOnAction(e -> openSettings());
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        quit.setOnAction(e -> stage.close());
        Menu app = new Menu("_RoomDeck");
        app.getItems().addAll(refresh, copy, settings, new SeparatorMenuItem(), quit);
        javafx.scene.control.Menu room = roomControls.menu();
        MenuItem loudest = new MenuItem("Sort peers loudest first");
        loudest.setId("sortByLevel");
        loudest.setAccelerator(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        loudest.setOnAction(e -> peers.sortByLevel());
        room.getItems().addAll(new SeparatorMenuItem(), loudest);
        MenuBar bar = new MenuBar(app, room, actions.menu());
        bar.setId("menuBar");
        return bar;
    }

    /** One batch from the feed, on the FX thread: tables in place, events, status, chart. */
    private void apply(Update u) {
        if (u.snapshot() != null) {
            model.apply(u.snapshot());
            joinFollower.addresses(u.snapshot().mediaAddresses());
        }
        u.events().forEach(events::add);
        ringForKnocks(u);
        status.update(u.snapshot(), u.media(), u.load());
        peers.resort();
        streams.refresh();
        doctor.refresh();
        actions.refresh();
        roomControls.refresh();
        chart.show(selectedRoom(), selectedPeer());
    }

    /** Someone knocks: a toast that says who and where, and one ring (off the FX thread). */
    private void ringForKnocks(Update u) {
        java.util.List<ServerEvent.Knock> knocks = u.events().stream()
                .filter(e -> e instanceof ServerEvent.Knock).map(e -> (ServerEvent.Knock) e).toList();
        if (knocks.isEmpty()) {
            return;
        }
        ServerEvent.Knock k = knocks.get(knocks.size() - 1);
        String who = k.name() == null || k.name().isBlank() ? k.userId() : k.name();
        toast.show((knocks.size() == 1 ? who + " knocks" : knocks.size() + " people knock") + " at room " + k.roomId()
                + ": Admit or Refuse under Door and floor", false);
        try {
            bell.run();
        } catch (RuntimeException e) {
            // a bell that fails must not cost the batch
        }
    }

    private void selectionChanged() {
        actions.refresh();
        roomControls.refresh();
        joinPane.showRoom(selectedRoom() == null ? null : selectedRoom().id());
        chart.show(selectedRoom(), selectedPeer());
    }

    private RoomRow selectedRoom() {
        return rooms.selectedProperty().get();
    }

    private PeerRow selectedPeer() {
        return peers.selectedProperty().get();
    }

    public ConsoleModel model() {
        return model;
    }

    public EventsPane events() {
        return events;
    }

    public StatusBar status() {
        return status;
    }

    public Toast toast() {
        return toast;
    }

    /** Stops the feed and the command thread (the server is the caller's to close). */
    @Override
    public void close() {
        closed = true;
        feed.close();
        commands.close();
        settingsThread.shutdown();
        joinThread.shutdownNow();
    }
}
