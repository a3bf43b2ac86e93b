package dev.roomdeck.console.join;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;

/** QR codes of join URLs, drawn pixel-exact (whole pixels per module, so phone cameras read them easily). */
public final class QrCodes {
    private static final int BLACK = 0xFF000000;
    private static final int WHITE = 0xFFFFFFFF;

    private QrCodes() {
    }

    /** A QR code of the text at most about sizePx wide (never smaller than one pixel per module). */
    public static WritableImage image(String text, int sizePx) {
        BitMatrix m = matrix(text);
        int scale = Math.max(1, sizePx / m.getWidth());
        WritableImage img = new WritableImage(m.getWidth() * scale, m.getHeight() * scale);
        PixelWriter w = img.getPixelWriter();
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                int argb = m.get(x, y) ? BLACK : WHITE;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        w.setArgb(x * scale + dx, y * scale + dy, argb);
                    }
                }
            }
        }
        return img;
    }

    /** One bit per module; a quiet zone of 2 modules (the standard 4 is not needed on a plain pane). */
    static BitMatrix matrix(String text) {
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.MARGIN, 2,
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                    EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode as a QR code: " + text, e);
        }
    }
}
