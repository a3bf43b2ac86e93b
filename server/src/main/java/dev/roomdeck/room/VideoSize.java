package dev.roomdeck.room;

/**
 * The largest video a subscriber wants of one stream (the {@code videoSize} extension message): the size of the
 * tile it draws the stream in, in device pixels. {@link #NONE} (0x0) asks for no video of that stream now.
 */
public record VideoSize(int width, int height) {
    public static final VideoSize NONE = new VideoSize(0, 0);
    /** Larger than any camera or screen: sizes are clamped to it. */
    public static final int MAX = 16384;

    public VideoSize {
        if (width < 0 || height < 0 || width > MAX || height > MAX || (width == 0) != (height == 0)) {
            throw new IllegalArgumentException("a video size is 0x0 or two sizes of 1.." + MAX + ": " + width + "x" + height);
        }
    }

    public boolean none() {
        return width == 0;
    }
}
