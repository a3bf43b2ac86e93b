package dev.roomdeck.console.join;

import java.util.List;
import java.util.function.Consumer;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Join help: per address, the URL (selectable), its QR code, and a copy button. */
public final class JoinPane {
    static final int QR_PX = 150;

    private final ScrollPane scroll;

    /** @param copied told the URL after it was copied (for the operator's feedback) */
    public JoinPane(List<String> urls, Consumer<String> copied) {
        VBox box = new VBox(10);
        box.getStyleClass().add("join-pane");
        Label intro = new Label("Join from a laptop or phone on this network: open or scan");
        intro.setWrapText(true);
        box.getChildren().add(intro);
        int i = 0;
        for (String url : urls) {
            Label field = new Label(url);
            field.setId("joinUrl" + i);
            field.setWrapText(true);
            field.getStyleClass().add("join-url");
            Button copy = new Button("Copy");
            copy.setId("copyJoinUrl" + i);
            copy.setOnAction(e -> {
                ClipboardContent c = new ClipboardContent();
                c.putString(url);
                Clipboard.getSystemClipboard().setContent(c);
                copied.accept(url);
            });
            ImageView qr = new ImageView(QrCodes.image(url, QR_PX));
            qr.setId("joinQr" + i);
            qr.setSmooth(false);
            box.getChildren().add(new VBox(4, field, new HBox(6, qr, copy)));
            i++;
        }
        if (urls.isEmpty()) {
            box.getChildren().add(new Label("This PC has no LAN address."));
        }
        scroll = new ScrollPane(box);
        scroll.setId("joinPane");
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(250); // one address in full; more scroll
        scroll.setMinViewportHeight(250);
    }

    public ScrollPane node() {
        return scroll;
    }
}
