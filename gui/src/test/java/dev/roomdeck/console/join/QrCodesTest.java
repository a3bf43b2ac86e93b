package dev.roomdeck.console.join;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/** The QR code on screen is the join URL: read back by ZXing's own decoder from the rendered pixels. */
class QrCodesTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage(); // images need the JavaFX toolkit
    }

    @Test
    void theRenderedImageDecodesToTheUrl() throws Exception {
        String url = "http://192.168.1.23:7080/";
        WritableImage img = QrCodes.image(url, 150);

        assertThat(decode(img)).isEqualTo(url);
    }

    @Test
    void modulesAreWholePixelsAndTheImageIsAboutTheAskedSize() {
        WritableImage img = QrCodes.image("http://10.0.0.5:7080/", 150);
        int modules = QrCodes.matrix("http://10.0.0.5:7080/").getWidth();

        assertThat((int) img.getWidth() % modules).isZero();
        assertThat(img.getWidth()).isBetween(150.0 - modules, 150.0);
        assertThat(img.getHeight()).isEqualTo(img.getWidth());
    }

    static String decode(WritableImage img) throws Exception {
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                argb[y * w + x] = r.getArgb(x, y);
            }
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, argb)));
        return new QRCodeReader().decode(bitmap).getText();
    }
}
