package dev.roomdeck.console.settings;

import dev.roomdeck.config.ConfigException;
import dev.roomdeck.settings.Settings;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The settings as fields: network, ports, media over TCP, join tokens, the HTTPS certificate, the HTTP redirect. A
 * setting that a start-up flag fixes is shown read-only with the flag in its tooltip (and beside it), and saving keeps
 * the file's own value for it. {@link #read()} only turns text into values; the server's rules are checked when saving.
 */
final class SettingsForm {
    /** The flag that fixes each setting (the names {@code LiveServer.fixedByFlags()} uses). */
    static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("bind", "--bind"), Map.entry("mediaAddresses", "--media-address"),
            Map.entry("announcedAddress", "--announce-address"), Map.entry("httpPort", "--http-port"),
            Map.entry("httpsPort", "--https-port"), Map.entry("mediaPort", "--media-port"),
            Map.entry("iceTcp", "--[no-]ice-tcp"),
            Map.entry("tokenEndpoint", "--[no-]token-endpoint"), Map.entry("appKeys", "--appkey"),
            Map.entry("tlsCertificate", "--tls-certificate"), Map.entry("tlsKey", "--tls-key"),
            Map.entry("tlsPassword", "--tls-password"), Map.entry("httpRedirect", "--[no-]http-redirect"));

    private final Settings saved;
    private final List<String> pinned;
    private final Supplier<Window> owner;
    private final GridPane grid = new GridPane();
    private int row;

    private final TextField bind = field("bind", 14);
    private final TextField mediaAddresses = field("mediaAddresses", 24);
    private final TextField announcedAddress = field("announcedAddress", 14);
    private final TextField httpPort = field("httpPort", 6);
    private final TextField httpsPort = field("httpsPort", 6);
    private final TextField mediaPort = field("mediaPort", 6);
    private final CheckBox iceTcp = new CheckBox("Accept media over TCP when UDP is blocked");
    private final CheckBox tokenEndpoint = new CheckBox("Anyone on the network may get join tokens (/api/generateToken)");
    private final AppKeysEditor appKeys;
    private final RadioButton generated = new RadioButton("Issued by RoomDeck's own certificate authority (devices trust it once from /trust)");
    private final RadioButton own = new RadioButton("My own certificate file");
    private final TextField certificate = field("tlsCertificate", 24);
    private final TextField key = field("tlsKey", 24);
    private final PasswordField password = new PasswordField();
    private final CheckBox httpRedirect = new CheckBox("Send browsers of other machines from plain HTTP to HTTPS");

    /**
     * @param shown  the settings in use (with the flags), what the fields start with
     * @param saved  the file's settings: what a flag-fixed setting keeps when saving
     * @param pinned the settings start-up flags fix
     * @param owner  the window file choosers belong to
     */
    SettingsForm(Settings shown, Settings saved, List<String> pinned, Supplier<Window> owner) {
        this.saved = saved;
        this.pinned = List.copyOf(pinned);
        this.owner = owner;
        this.appKeys = new AppKeysEditor(shown.appKeys());
        grid.setId("settingsForm");
        grid.setHgap(8);
        grid.setVgap(6);
        grid.setPadding(new Insets(8));
        ColumnConstraints names = new ColumnConstraints();
        names.setMinWidth(Region.USE_PREF_SIZE); // labels never shrink to "..."
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        ColumnConstraints help = new ColumnConstraints(160, 220, 260);
        grid.getColumnConstraints().addAll(names, fields, help);
        for (TextField port : List.of(httpPort, httpsPort, mediaPort)) {
            port.setMaxWidth(Region.USE_PREF_SIZE);
        }

        bind.setText(shown.bind());
        mediaAddresses.setText(String.join(", ", shown.mediaAddresses()));
        announcedAddress.setText(shown.announcedAddress() == null ? "" : shown.announcedAddress());
        httpPort.setText(String.valueOf(shown.httpPort()));
        httpsPort.setText(String.valueOf(shown.httpsPort()));
        mediaPort.setText(String.valueOf(shown.mediaPort()));
        iceTcp.setId("iceTcp");
        iceTcp.setSelected(shown.iceTcp());
        tokenEndpoint.setId("tokenEndpoint");
        tokenEndpoint.setSelected(shown.tokenEndpoint());
        httpRedirect.setId("httpRedirect");
        httpRedirect.setSelected(shown.httpRedirect());
        ToggleGroup certificateKind = new ToggleGroup();
        generated.setToggleGroup(certificateKind);
        generated.setId("generatedCertificate");
        own.setToggleGroup(certificateKind);
        own.setId("ownCertificate");
        boolean supplied = shown.tlsCertificate() != null;
        (supplied ? own : generated).setSelected(true);
        certificate.setText(supplied ? shown.tlsCertificate().toString() : "");
        key.setText(shown.tlsKey() == null ? "" : shown.tlsKey().toString());
        password.setId("tlsPassword");
        password.setText(shown.tlsPassword() == null ? "" : shown.tlsPassword());

        section("Network");
        add("Listen on", "bind", bind, "0.0.0.0 = every interface; 127.0.0.1 = this PC only");
        add("LAN addresses to announce", "mediaAddresses", mediaAddresses,
                "for media, separated by commas; empty = every LAN address of this PC");
        add("Public (NAT) address", "announcedAddress", announcedAddress,
                "only behind a 1:1 NAT; empty = none");
        section("Ports");
        add("HTTP (this PC)", "httpPort", httpPort, "0 = any free port");
        add("HTTPS (join)", "httpsPort", httpsPort, "0 = any free port");
        add("Media (UDP)", "mediaPort", mediaPort, "the one UDP port all media shares; 0 = any free port");
        add("", "iceTcp", iceTcp, "on the same port number over TCP; browsers use it only when no UDP path works");
        section("Join tokens");
        add("", "tokenEndpoint", tokenEndpoint, null);
        add("Appkeys and secrets", "appKeys", appKeys.node(), null);
        section("HTTPS certificate");
        VBox files = new VBox(4, generated, own,
                labelled("Certificate (PKCS#12 or PEM)", certificate, browse(certificate, "browseCertificate",
                        new FileChooser.ExtensionFilter("Certificates (*.p12, *.pfx, *.pem, *.crt)",
                                "*.p12", "*.pfx", "*.pem", "*.crt"))),
                labelled("Key (PEM, if not in the file)", key, browse(key, "browseKey",
                        new FileChooser.ExtensionFilter("PEM keys (*.pem, *.key)", "*.pem", "*.key"))),
                labelled("Password", password));
        add("", "tlsCertificate", files, null);
        section("Plain HTTP");
        add("", "httpRedirect", httpRedirect, null);

        // Files only matter for one's own certificate.
        for (Node n : List.of(certificate, key, password)) {
            n.disableProperty().bind(generated.selectedProperty());
        }
        pinAlone(key, "tlsKey");
        pinAlone(password, "tlsPassword");
    }

    /** The key or password fixed by a flag while the certificate is not: that one field is read-only. */
    private void pinAlone(TextField field, String setting) {
        if (pinned.contains(setting) && !pinned.contains("tlsCertificate")) {
            field.disableProperty().unbind();
            field.setDisable(true);
            Tooltip.install(field.getParent(), pinnedTip(setting));
        }
    }

    Node node() {
        return grid;
    }

    /**
     * The settings as typed. Text that is no number where a port goes is refused here, naming the setting; every
     * other rule (ranges, addresses, secrets, the certificate) is the server's, checked on save.
     */
    Settings read() {
        Settings s = saved
                .withBind(pick("bind", bind.getText().trim(), saved.bind()))
                .withAddresses(pick("mediaAddresses", addresses(mediaAddresses.getText()), saved.mediaAddresses()),
                        pick("announcedAddress", blankToNull(announcedAddress.getText()), saved.announcedAddress()))
                .withPorts(pick("httpPort", port("httpPort", httpPort), saved.httpPort()),
                        pick("httpsPort", port("httpsPort", httpsPort), saved.httpsPort()),
                        pick("mediaPort", port("mediaPort", mediaPort), saved.mediaPort()))
                .withIceTcp(pick("iceTcp", iceTcp.isSelected(), saved.iceTcp()))
                .withTokens(pick("tokenEndpoint", tokenEndpoint.isSelected(), saved.tokenEndpoint()),
                        pick("appKeys", appKeys.read(), saved.appKeys()))
                .withHttpRedirect(pick("httpRedirect", httpRedirect.isSelected(), saved.httpRedirect()));
        if (pinned.contains("tlsCertificate")) {
            return s.withCertificate(saved.tlsCertificate(), saved.tlsKey(), saved.tlsPassword());
        }
        if (generated.isSelected()) {
            return s.withCertificate(null, null, null);
        }
        Path cert = path(certificate.getText());
        if (cert == null) {
            throw new ConfigException("tlsCertificate: choose the certificate file (PKCS#12 or PEM), "
                    + "or use the generated certificate");
        }
        return s.withCertificate(cert, pick("tlsKey", path(key.getText()), saved.tlsKey()),
                pick("tlsPassword", blankToNull(password.getText()), saved.tlsPassword()));
    }

    private <T> T pick(String setting, T typed, T fromFile) {
        return pinned.contains(setting) ? fromFile : typed;
    }

    private void section(String title) {
        Label l = new Label(title);
        l.setStyle("-fx-font-weight: bold; -fx-padding: 6 0 0 0;");
        grid.add(l, 0, row++, 3, 1);
    }

    private void add(String label, String setting, Node control, String help) {
        Node shown = pinned.contains(setting) ? pin(control, setting) : control;
        grid.add(new Label(label), 0, row);
        grid.add(shown, 1, row);
        if (help != null) {
            Label h = new Label(help);
            h.setStyle("-fx-text-fill: #6b6b6b;");
            h.setWrapText(true);
            grid.add(h, 2, row);
        }
        row++;
    }

    /**
     * Read-only, saying which flag fixes it. A disabled control shows no tooltip, so the tooltip sits on a box
     * around it, and the flag is written beside it too.
     */
    private Node pin(Node control, String setting) {
        control.setDisable(true);
        String flag = FLAGS.get(setting);
        Label note = new Label("set by " + flag);
        note.setStyle("-fx-text-fill: #6b6b6b; -fx-font-style: italic;");
        HBox box = new HBox(6, control, note);
        box.setId(control.getId() == null ? setting + "Pinned" : control.getId() + "Pinned");
        Tooltip.install(box, pinnedTip(setting));
        return box;
    }

    static Tooltip pinnedTip(String setting) {
        return new Tooltip("Fixed by the start-up flag " + FLAGS.get(setting)
                + ": start RoomDeck without it to change this here.");
    }

    private HBox labelled(String label, Node field, Node... more) {
        Label l = new Label(label);
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.setPrefWidth(200);
        HBox box = new HBox(6, l, field);
        HBox.setHgrow(field, Priority.ALWAYS);
        box.getChildren().addAll(more);
        return box;
    }

    private Button browse(TextField target, String id, FileChooser.ExtensionFilter filter) {
        Button b = new Button("Browse…");
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.disableProperty().bind(generated.selectedProperty().or(target.disabledProperty()));
        b.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.getExtensionFilters().addAll(filter, new FileChooser.ExtensionFilter("All files", "*"));
            Path now = path(target.getText());
            if (now != null && now.toAbsolutePath().getParent() != null
                    && now.toAbsolutePath().getParent().toFile().isDirectory()) {
                chooser.setInitialDirectory(now.toAbsolutePath().getParent().toFile());
            }
            File f = chooser.showOpenDialog(owner.get());
            if (f != null) {
                target.setText(f.getAbsolutePath());
            }
        });
        return b;
    }

    private static TextField field(String id, int columns) {
        TextField f = new TextField();
        f.setId(id);
        f.setPrefColumnCount(columns);
        return f;
    }

    private static int port(String setting, TextField f) {
        String t = f.getText().trim();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new ConfigException(setting + ": '" + t + "' is not a port (0-65535; 0 picks a free one)");
        }
    }

    private static List<String> addresses(String text) {
        return Arrays.stream(text.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }
}
