package dev.roomdeck.console.view;

import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * "Kick alice from r1?" with an optional reason the peer will see. Shown without blocking (no showAndWait):
 * the answer arrives through a callback, and the window keeps updating behind the dialog.
 */
final class KickDialog {
    static final ButtonType KICK = new ButtonType("Kick", ButtonBar.ButtonData.OK_DONE);

    private KickDialog() {
    }

    static Dialog<String> show(Window owner, String peerId, String roomId, Consumer<String> onKick) {
        Dialog<String> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("Kick " + peerId);
        d.setHeaderText("Remove " + peerId + " from room " + roomId + "?");
        TextField reason = new TextField();
        reason.setId("kickReason");
        reason.setPromptText("Reason (optional; " + peerId + " sees it)");
        VBox content = new VBox(6, new Label("The peer is disconnected and told why."), reason);
        d.getDialogPane().setContent(content);
        d.getDialogPane().getButtonTypes().addAll(KICK, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(KICK).setId("confirmKick");
        d.setResultConverter(b -> b == KICK ? reason.getText().trim() : null);
        d.setOnHidden(e -> {
            String r = d.getResult();
            if (r != null) {
                onKick.accept(r);
            }
        });
        d.show();
        Platform.runLater(reason::requestFocus);
        return d;
    }
}
