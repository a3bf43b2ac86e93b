package dev.roomdeck.console.view;

import dev.roomdeck.console.model.PeerRow;
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
 * "Remove Anna from room r1?" with an optional reason the person will see, and the peer's id and address so the
 * operator can tell two people of the same name apart. Shown without blocking (no showAndWait): the answer
 * arrives through a callback, and the window keeps updating behind the dialog.
 */
final class KickDialog {
    static final ButtonType KICK = new ButtonType("Kick", ButtonBar.ButtonData.OK_DONE);

    private KickDialog() {
    }

    static Dialog<String> show(Window owner, PeerRow peer, Consumer<String> onKick) {
        String who = peer.label();
        Dialog<String> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("Kick " + who);
        d.setHeaderText("Remove " + who + " from room " + peer.roomId() + "?");
        TextField reason = new TextField();
        reason.setId("kickReason");
        reason.setPromptText("Reason (optional; " + who + " sees it)");
        Label identity = new Label(identity(peer));
        identity.setId("kickIdentity");
        identity.getStyleClass().add("kick-identity");
        VBox content = new VBox(6, identity, new Label(who + " is disconnected and told why."), reason);
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

    /** "Id u-3f9a01d2a7b4e865 · 192.168.1.20:53122 · joined 10:02:11": which of the people of that name. */
    static String identity(PeerRow p) {
        String address = p.addressProperty().get();
        return "Id " + p.id() + (address == null || address.isEmpty() ? "" : " · " + address)
                + (p.joinedAt() == null ? "" : " · joined " + Formats.clock(p.joinedAt()));
    }
}
