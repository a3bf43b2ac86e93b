package dev.roomdeck.console.view;

import javafx.animation.FadeTransition;
import javafx.animation.PauseTransition;
import javafx.animation.SequentialTransition;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

/** A short note over the window's bottom edge that fades by itself: the outcome of the last action. */
public final class Toast {
    private final Label label = new Label();
    private final SequentialTransition fade;

    public Toast() {
        label.setId("toast");
        label.getStyleClass().add("toast");
        label.setVisible(false);
        label.setMouseTransparent(true);
        StackPane.setAlignment(label, Pos.BOTTOM_CENTER);
        FadeTransition out = new FadeTransition(Duration.millis(600), label);
        out.setFromValue(1);
        out.setToValue(0);
        fade = new SequentialTransition(new PauseTransition(Duration.seconds(4)), out);
        fade.setOnFinished(e -> label.setVisible(false));
    }

    public Label node() {
        return label;
    }

    public void show(String text, boolean error) {
        label.setText(text);
        label.getStyleClass().removeAll("toast-ok", "toast-error");
        label.getStyleClass().add(error ? "toast-error" : "toast-ok");
        label.setOpacity(1);
        label.setVisible(true);
        fade.playFromStart();
    }

    public String text() {
        return label.isVisible() ? label.getText() : "";
    }
}
