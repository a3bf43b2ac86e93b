package dev.roomdeck.console.settings;

import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.config.ConfigException;
import dev.roomdeck.settings.LiveServer;
import dev.roomdeck.settings.Settings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings window: the form, a warning that applying restarts the server, and "Save and restart". Saving
 * (validation, file, restart) runs on a background thread; a refused setting is shown under the form and the window
 * stays open with nothing changed; success closes it and tells the caller the new server.
 */
public final class SettingsWindow {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsWindow.class);
    static final String WARNING = "Saving restarts the server: everyone connected is disconnected and their "
            + "browsers reconnect by themselves within a few seconds. People who joined by a port you change "
            + "need the new join URL.";

    private final LiveServer live;
    private final Executor background;
    private final Consumer<RoomDeckServer> applied;
    private final Stage stage = new Stage();
    private final SettingsForm form;
    private final Label error = new Label();
    private final Label progress = new Label("Saving and restarting…");
    private final ProgressIndicator spinner = new ProgressIndicator();
    private final Button save = new Button("Save and restart");
    private final Button cancel = new Button("Cancel");

    private SettingsWindow(Window owner, LiveServer live, Settings shown, Settings saved, List<String> pinned,
                           Executor background, Consumer<RoomDeckServer> applied) {
        this.live = live;
        this.background = background;
        this.applied = applied;
        this.form = new SettingsForm(shown, saved, pinned, () -> stage);
        layout(owner);
    }

    /**
     * Reads the settings off the FX thread, then opens the window over its owner.
     *
     * @param background runs the reading and the saving (never the FX thread)
     * @param applied    told the new server after a successful save, on the FX thread
     */
    public static CompletableFuture<SettingsWindow> open(Window owner, LiveServer live, Executor background,
                                                        Consumer<RoomDeckServer> applied) {
        return CompletableFuture.supplyAsync(() -> {
            Settings shown = live.settings();
            Settings saved;
            try {
                saved = live.store().settings();
            } catch (ConfigException e) {
                saved = shown; // the file changed under us; the running settings are the best base
            }
            return new Loaded(shown, saved, live.fixedByFlags());
        }, background).thenApplyAsync(read -> {
            SettingsWindow w = new SettingsWindow(owner, live, read.shown(), read.saved(), read.pinned(),
                    background, applied);
            w.stage.show();
            return w;
        }, Platform::runLater);
    }

    /** What the window starts from, read off the FX thread. */
    private record Loaded(Settings shown, Settings saved, List<String> pinned) {
    }

    private void layout(Window owner) {
        Label warning = new Label(WARNING);
        warning.setId("settingsWarning");
        warning.setWrapText(true);
        warning.setStyle("-fx-background-color: #fff4d6; -fx-padding: 8; -fx-text-fill: #5c4400;");
        warning.setMaxWidth(Double.MAX_VALUE);

        ScrollPane scroll = new ScrollPane(form.node());
        scroll.setFitToWidth(true);

        error.setId("settingsError");
        error.setWrapText(true);
        error.setStyle("-fx-text-fill: #b3261e; -fx-font-weight: bold;");
        error.managedProperty().bind(error.visibleProperty());
        error.setVisible(false);
        error.setMaxWidth(Double.MAX_VALUE);

        save.setId("saveSettings");
        save.setDefaultButton(true);
        save.setOnAction(e -> save());
        cancel.setId("cancelSettings");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> stage.close());
        spinner.setPrefSize(18, 18);
        HBox busy = new HBox(6, spinner, progress);
        busy.setAlignment(Pos.CENTER_LEFT);
        busy.visibleProperty().bind(save.disableProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, busy, grow, cancel, save);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        VBox bottom = new VBox(6, error, buttons);
        bottom.setPadding(new Insets(8));
        BorderPane root = new BorderPane(scroll, warning, null, bottom, null);
        root.setId("settingsWindow");
        stage.setScene(new Scene(root, 960, 760));
        stage.setTitle("RoomDeck settings");
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
    }

    private void save() {
        Settings next;
        try {
            next = form.read();
        } catch (ConfigException e) {
            refused(e.getMessage());
            return;
        }
        error.setVisible(false);
        save.setDisable(true);
        cancel.setDisable(true);
        try {
            background.execute(() -> {
                try {
                    RoomDeckServer server = live.apply(next);
                    Platform.runLater(() -> {
                        stage.close();
                        applied.accept(server);
                    });
                } catch (Exception e) {
                    if (!(e instanceof ConfigException)) {
                        LOG.warn("applying settings failed", e);
                    }
                    Platform.runLater(() -> refused(String.valueOf(e.getMessage())));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            refused("the console is closing");
        }
    }

    private void refused(String message) {
        save.setDisable(false);
        cancel.setDisable(false);
        error.setText("Not saved: " + message);
        error.setVisible(true);
    }

    public Stage stage() {
        return stage;
    }
}
