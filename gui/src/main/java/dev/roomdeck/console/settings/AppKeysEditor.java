package dev.roomdeck.console.settings;

import dev.roomdeck.config.ConfigException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The appkeys and their HS256 secrets, one row each: the name, the secret (shown: the operator copies it into the
 * application server that issues tokens), Generate (a fresh random secret) and Remove; "Add appkey" below.
 */
final class AppKeysEditor {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final VBox rows = new VBox(4);
    private final Button add = new Button("Add appkey");
    private final VBox box = new VBox(4, rows, add);
    private int made;

    AppKeysEditor(Map<String, String> keys) {
        box.setId("appKeys");
        add.setId("addAppKey");
        add.setOnAction(e -> addRow(freeName(), newSecret()));
        keys.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(k -> addRow(k.getKey(), k.getValue()));
    }

    Node node() {
        return box;
    }

    /** A random secret: 32 bytes from SecureRandom, base64url (43 characters; HS256 wants at least 32). */
    static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The keys as typed, in their order; the server checks names and secret lengths. */
    Map<String, String> read() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Node row : rows.getChildren()) {
            HBox r = (HBox) row;
            String name = ((TextField) r.getChildren().get(0)).getText().trim();
            String secret = ((TextField) r.getChildren().get(1)).getText().trim();
            if (out.put(name, secret) != null) {
                throw new ConfigException("appKeys: the appkey '" + name + "' is listed twice");
            }
        }
        return out;
    }

    int size() {
        return rows.getChildren().size();
    }

    private void addRow(String name, String secret) {
        int n = made++;
        TextField nameField = new TextField(name);
        nameField.setId("appKeyName" + n);
        nameField.setPromptText("appkey");
        nameField.setPrefColumnCount(8);
        TextField secretField = new TextField(secret);
        secretField.setId("appKeySecret" + n);
        secretField.setPromptText("secret, at least 32 characters");
        secretField.setPrefColumnCount(30);
        HBox.setHgrow(secretField, Priority.ALWAYS);
        Button generate = new Button("Generate");
        generate.setId("generateSecret" + n);
        generate.setTooltip(new Tooltip("A new random secret. Tokens signed with the old one stop working."));
        generate.setOnAction(e -> secretField.setText(newSecret()));
        HBox row = new HBox(4, nameField, secretField, generate);
        Button remove = new Button("Remove");
        remove.setId("removeAppKey" + n);
        generate.setMinWidth(Region.USE_PREF_SIZE);
        remove.setMinWidth(Region.USE_PREF_SIZE);
        nameField.setMinWidth(Region.USE_PREF_SIZE);
        nameField.setMaxWidth(Region.USE_PREF_SIZE);
        remove.setOnAction(e -> rows.getChildren().remove(row));
        row.getChildren().add(remove);
        rows.getChildren().add(row);
    }

    private String freeName() {
        Map<String, String> now = new LinkedHashMap<>();
        for (Node row : rows.getChildren()) {
            now.put(((TextField) ((HBox) row).getChildren().get(0)).getText().trim(), "");
        }
        String name = now.containsKey("default") ? "app" : "default";
        for (int i = 2; now.containsKey(name); i++) {
            name = "app" + i;
        }
        return name;
    }
}
