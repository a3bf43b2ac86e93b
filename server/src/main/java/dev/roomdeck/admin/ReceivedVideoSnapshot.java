package dev.roomdeck.admin;

/**
 * One video stream a peer receives, as the operator sees it: which simulcast layer goes to this peer now and why.
 *
 * @param publisherId the peer whose stream it is
 * @param label       what people call the stream: "Ben · camera"
 * @param layer       the layer forwarded now, 0 = lowest; -1 when none (paused, or waiting for the first keyframe)
 * @param targetLayer the layer chosen; differs from {@code layer} while the switch waits for its keyframe
 * @param layers      how many layers the stream has (1 without simulcast)
 * @param width       the size of the layer forwarded (or chosen), as its keyframes say
 * @param reason      why this layer: "size" (the tile it is drawn in), "bandwidth" (lowered to fit the peer's link),
 *                    "best" (no size asked), "paused" (no video asked, or muted for this peer), "single" (no
 *                    simulcast: the stream as sent)
 */
public record ReceivedVideoSnapshot(String publisherId, String msid, String label, int layer, int targetLayer,
                                    int layers, int width, int height, String reason, long bitrateBps) {
}
