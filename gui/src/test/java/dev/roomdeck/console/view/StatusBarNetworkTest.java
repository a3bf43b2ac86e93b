package dev.roomdeck.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.console.join.JoinInfo;
import dev.roomdeck.tls.CertificateInfo;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The self-check of this PC's media addresses in the status bar: a warning with the first problem, all in its tooltip. */
class StatusBarNetworkTest {
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
    private static final String NOT_HERE = "Media address 192.168.1.20 is not on any interface of this PC: devices "
            + "send media to an address nobody answers.";
    private static final String NO_LAN = "This PC has no LAN address: only browsers on this PC can get media.";
    private Stage stage;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            fx(() -> {
                stage.close();
                return null;
            });
        }
    }

    @Test
    void networkProblemsShowAsAWarningWithAllOfThemInTheTooltipAndVanishWhenFixed() throws Exception {
        StatusBar bar = fx(() -> {
            StatusBar b = new StatusBar(new JoinInfo(List.of("https://192.168.1.20:7443/"), "http://localhost:7080/",
                    new CertificateInfo("AB:CD", List.of("localhost"), "CN=room", "EC P-256", T, T, true, null)));
            stage = new Stage();
            stage.setScene(new Scene(b.node(), 1280, 30));
            stage.show();
            return b;
        });
        Label warning = fx(() -> (Label) bar.node().lookup("#statusNetwork"));
        assertThat(fx(warning::isVisible)).as("no problems: no warning").isFalse();

        fx(() -> {
            bar.update(snapshot(List.of(NOT_HERE, NO_LAN)), null, null);
            return null;
        });

        assertThat(fx(warning::isVisible)).isTrue();
        assertThat(fx(warning::isManaged)).isTrue();
        assertThat(fx(warning::getText)).isEqualTo("⚠ " + NOT_HERE + "  (+1 more)");
        assertThat(fx(() -> warning.getStyleClass().contains("warning"))).isTrue();
        assertThat(fx(() -> bar.networkDetail().getText())).contains(NOT_HERE).contains(NO_LAN);
        assertThat(fx(() -> warning.getTooltip() == bar.networkDetail())).isTrue();

        fx(() -> {
            bar.update(snapshot(List.of()), null, null);
            return null;
        });
        assertThat(fx(warning::isVisible)).as("fixed: the warning goes").isFalse();
        assertThat(fx(warning::isManaged)).isFalse();
    }

    private static ServerSnapshot snapshot(List<String> problems) {
        return new ServerSnapshot(T, 5, 40000, List.of(), List.of("192.168.1.20"), problems);
    }

    private static <T> T fx(Callable<T> call) throws Exception {
        return WaitForAsyncUtils.asyncFx(call).get(30, TimeUnit.SECONDS);
    }
}
