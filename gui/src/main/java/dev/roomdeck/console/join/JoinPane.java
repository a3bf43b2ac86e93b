package dev.roomdeck.console.join;

import java.util.function.Consumer;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Join help: per address, the HTTPS URL (selectable), its QR code and a copy button; then the certificate's
 * fingerprint and names with what the browser will ask; last, the plain-HTTP URL for this PC. Rebuilt when the
 * server restarts with new settings.
 */
public final class JoinPane {
    static final int QR_PX = 150;

    private final VBox box = new VBox(10);
    private final ScrollPane scroll = new ScrollPane(box);
    private final Consumer<String> copied;
    private JoinInfo join;
    private String room;

    /** @param copied told the URL after it was copied (for the operator's feedback) */
    public JoinPane(JoinInfo join, Consumer<String> copied) {
        this.copied = copied;
        box.getStyleClass().add("join-pane");
        scroll.setId("joinPane");
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(250); // one address in full; more scroll
        scroll.setMinViewportHeight(250);
        show(join);
    }

    /** The selected room (null: none): its own link and the "I'm in this room" link come first. */
    public void showRoom(String newRoom) {
        if (java.util.Objects.equals(newRoom, room)) {
            return;
        }
        room = newRoom;
        show(join);
    }

    public void show(JoinInfo join) {
        this.join = join;
        box.getChildren().clear();
        if (room != null) {
            box.getChildren().add(wrapped("Room " + room + ": its link, and the link for laptops in the meeting room "
                    + "itself (they join without microphone and sound, so the room does not echo)"));
            box.getChildren().add(link("roomUrl", "roomQr", "copyRoomUrl", RoomLinks.room(join, room)));
            Label inRoom = new Label("I'm in this room:");
            inRoom.setId("inRoomTitle");
            inRoom.setStyle("-fx-font-weight: bold;");
            box.getChildren().addAll(inRoom, link("inRoomUrl", "inRoomQr", "copyInRoomUrl", RoomLinks.inRoom(join, room)));
            box.getChildren().add(new javafx.scene.control.Separator());
        }
        box.getChildren().add(wrapped("Join from a laptop or phone on this network: open or scan"));
        int i = 0;
        for (String url : join.urls()) {
            Label field = new Label(url);
            field.setId("joinUrl" + i);
            field.setWrapText(true);
            field.getStyleClass().add("join-url");
            Button copy = new Button("Copy");
            copy.setId("copyJoinUrl" + i);
            copy.setOnAction(e -> copy(url));
            ImageView qr = new ImageView(QrCodes.image(url, QR_PX));
            qr.setId("joinQr" + i);
            qr.setSmooth(false);
            box.getChildren().add(new VBox(4, field, new HBox(6, qr, copy)));
            i++;
        }
        if (join.urls().isEmpty()) {
            box.getChildren().add(new Label("This PC has no LAN address."));
        }
        Label advice = wrapped(join.browserAdvice());
        advice.setId("joinAdvice");
        // A text field, so the operator can select and read it out or paste it into a chat.
        TextField fingerprint = new TextField(join.certificate().fingerprint());
        fingerprint.setId("joinFingerprint");
        fingerprint.setEditable(false);
        Label names = wrapped("Valid for: " + String.join(", ", join.certificate().names()));
        names.setId("joinCertificateNames");
        Label local = wrapped("On this PC: " + join.localUrl());
        local.setId("joinLocalUrl");
        box.getChildren().addAll(advice, new Label("Certificate SHA-256 fingerprint:"), fingerprint, names, local);
    }

    /** A URL (selectable), its QR code and a Copy button. */
    private VBox link(String urlId, String qrId, String copyId, String url) {
        Label field = new Label(url);
        field.setId(urlId);
        field.setWrapText(true);
        field.getStyleClass().add("join-url");
        Button copy = new Button("Copy");
        copy.setId(copyId);
        copy.setOnAction(e -> copy(url));
        ImageView qr = new ImageView(QrCodes.image(url, QR_PX));
        qr.setId(qrId);
        qr.setSmooth(false);
        return new VBox(4, field, new HBox(6, qr, copy));
    }

    private void copy(String url) {
        ClipboardContent c = new ClipboardContent();
        c.putString(url);
        Clipboard.getSystemClipboard().setContent(c);
        copied.accept(url);
    }

    private static Label wrapped(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }

    public ScrollPane node() {
        return scroll;
    }
}
