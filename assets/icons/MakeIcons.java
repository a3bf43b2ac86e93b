import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws RoomDeck's icon: a blue rounded square holding a 2x2 gallery of video tiles, the active speaker's tile
 * green. Writes PNGs (16..512), a Windows .ico and a macOS .icns (both with PNG entries) into the given folder.
 * Run: java assets/icons/MakeIcons.java assets/icons
 */
public class MakeIcons {
    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256, 512};

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        Map<Integer, byte[]> png = new LinkedHashMap<>();
        for (int size : SIZES) {
            png.put(size, encode(draw(size)));
            Files.write(out.resolve("roomdeck-" + size + ".png"), png.get(size));
        }
        Files.write(out.resolve("roomdeck.png"), png.get(256));
        png.put(1024, encode(draw(1024)));
        Files.write(out.resolve("roomdeck.ico"), ico(png, 16, 24, 32, 48, 64, 128, 256));
        Files.write(out.resolve("roomdeck.icns"), icns(png));
    }

    static BufferedImage draw(int s) {
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);

        double margin = s <= 24 ? 0.5 : s * 0.06;
        double side = s - 2 * margin;
        g.setPaint(new GradientPaint((float) margin, (float) margin, new Color(0x3A7BFF),
                (float) (s - margin), (float) (s - margin), new Color(0x1737A6)));
        g.fill(new RoundRectangle2D.Double(margin, margin, side, side, side * 0.44, side * 0.44));

        // A 2x2 gallery of tiles: what an SFU's meeting looks like.
        double pad = side * (s <= 24 ? 0.17 : 0.2);
        double gap = side * (s <= 24 ? 0.09 : 0.07);
        double tile = (side - 2 * pad - gap) / 2;
        double arc = tile * 0.3;
        Color white = new Color(255, 255, 255, 245);
        Color speaker = new Color(0x3DDC97);
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 2; col++) {
                double x = margin + pad + col * (tile + gap);
                double y = margin + pad + row * (tile + gap);
                boolean active = row == 0 && col == 0;
                RoundRectangle2D shape = new RoundRectangle2D.Double(x, y, tile, tile, arc, arc);
                g.setColor(active ? speaker : white);
                g.fill(shape);
                if (s >= 48) {
                    // A person in each tile (head and shoulders), cut to the tile's rounded shape.
                    g.setClip(shape);
                    g.setColor(active ? new Color(0x1E8F5E) : new Color(0x9DB6F5));
                    double head = tile * 0.3;
                    g.fill(new Ellipse2D.Double(x + (tile - head) / 2, y + tile * 0.2, head, head));
                    double body = tile * 0.6;
                    g.fill(new Ellipse2D.Double(x + (tile - body) / 2, y + tile * 0.58, body, tile * 0.6));
                    g.setClip(null);
                }
            }
        }
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    /** ICO with PNG entries (Windows Vista and later read them). */
    static byte[] ico(Map<Integer, byte[]> png, int... sizes) {
        int header = 6 + 16 * sizes.length;
        int total = header;
        for (int size : sizes) {
            total += png.get(size).length;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) 1).putShort((short) sizes.length);
        int offset = header;
        for (int size : sizes) {
            byte[] data = png.get(size);
            b.put((byte) (size >= 256 ? 0 : size)).put((byte) (size >= 256 ? 0 : size));
            b.put((byte) 0).put((byte) 0).putShort((short) 1).putShort((short) 32);
            b.putInt(data.length).putInt(offset);
            offset += data.length;
        }
        for (int size : sizes) {
            b.put(png.get(size));
        }
        return b.array();
    }

    /** ICNS with PNG entries: icp4 16, icp5 32, icp6 64, ic07 128, ic08 256, ic09 512, ic10 1024. */
    static byte[] icns(Map<Integer, byte[]> png) throws IOException {
        String[][] types = {{"icp4", "16"}, {"icp5", "32"}, {"icp6", "64"}, {"ic07", "128"}, {"ic08", "256"},
                {"ic09", "512"}, {"ic10", "1024"}};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        for (String[] t : types) {
            byte[] data = png.get(Integer.parseInt(t[1]));
            d.writeBytes(t[0]);
            d.writeInt(8 + data.length);
            d.write(data);
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream f = new DataOutputStream(file);
        f.writeBytes("icns");
        f.writeInt(8 + body.size());
        f.write(body.toByteArray());
        return file.toByteArray();
    }
}
