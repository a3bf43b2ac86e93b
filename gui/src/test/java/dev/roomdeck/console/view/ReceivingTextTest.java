package dev.roomdeck.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.ReceivedVideoSnapshot;
import dev.roomdeck.console.model.ReceivingSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The words for what a peer receives: the Receives cell, its flag, and each stream's line in the Receiving list. */
class ReceivingTextTest {

    @Test
    void theReceivesCellSaysHowManyVideosAndTheRateOfWhatTheLinkCarries() {
        ReceivingSummary three = new ReceivingSummary(2_400_000, List.of(
                video(2, 2, 3, 1280, 720, "size", 1_200_000),
                video(1, 1, 3, 640, 360, "size", 450_000),
                video(1, 1, 3, 640, 360, "best", 150_000)));
        assertThat(ReceivingText.summary(three)).isEqualTo("3 videos · 1.80 of 2.40 Mbit/s");
        assertThat(ReceivingText.loweredText(three)).as("nothing lowered: no flag").isEmpty();

        ReceivingSummary one = new ReceivingSummary(-1, List.of(video(0, 0, 1, 0, 0, "single", 500_000)));
        assertThat(ReceivingText.summary(one)).as("before a REMB").isEqualTo("1 video · 500 kbit/s");
        assertThat(ReceivingText.summary(new ReceivingSummary(3_000_000, one.videos())))
                .isEqualTo("1 video · 500 kbit/s of 3.00 Mbit/s");
        assertThat(ReceivingText.summary(ReceivingSummary.NONE)).as("no video: an empty cell").isEmpty();
        assertThat(ReceivingText.summary(new ReceivingSummary(800_000, List.of()))).isEmpty();
    }

    @Test
    void streamsLoweredForTheLinkFlagTheCellInWords() {
        ReceivingSummary r = new ReceivingSummary(600_000, List.of(
                video(0, 0, 3, 320, 180, "bandwidth", 150_000),
                video(0, 0, 3, 320, 180, "bandwidth", 140_000),
                video(0, 0, 3, 320, 180, "size", 150_000)));
        assertThat(ReceivingText.loweredText(r)).isEqualTo("2 lowered for bandwidth");
        assertThat(ReceivingText.summary(r)).isEqualTo("3 videos · 440 of 600 kbit/s");
    }

    @Test
    void eachStreamSaysItsLayerCountedFromOneItsSizeWhyAndItsRate() {
        assertThat(ReceivingText.detail(video(1, 1, 3, 640, 360, "size", 420_000)))
                .isEqualTo("layer 2/3 · 640×360 · fits the tile · 420 kbit/s");
        assertThat(ReceivingText.detail(video(2, 2, 3, 1280, 720, "best", 1_250_000)))
                .isEqualTo("layer 3/3 · 1280×720 · best available · 1.25 Mbit/s");
        assertThat(ReceivingText.detail(video(0, 0, 3, 320, 180, "bandwidth", 150_000)))
                .isEqualTo("layer 1/3 · 320×180 · lowered: link · 150 kbit/s");
        assertThat(ReceivingText.detail(video(0, 0, 1, 640, 480, "single", 500_000)))
                .isEqualTo("whole stream · 640×480 · no simulcast · 500 kbit/s");
        assertThat(ReceivingText.detail(video(0, 0, 1, 0, 0, "single", 500_000)))
                .as("no keyframe told the size").isEqualTo("whole stream · no simulcast · 500 kbit/s");
        assertThat(ReceivingText.detail(video(-1, -1, 3, 320, 180, "paused", 0)))
                .as("no rate to speak of").isEqualTo("paused · tile hidden or muted");
        assertThat(ReceivingText.detail(video(-1, -1, 1, 0, 0, "paused", 0))).isEqualTo("paused · tile hidden or muted");
    }

    @Test
    void aSwitchWaitingForItsKeyframeShowsBothLayers() {
        assertThat(ReceivingText.layerText(video(0, 1, 3, 320, 180, "size", 0))).isEqualTo("switching 1→2 · 320×180");
        assertThat(ReceivingText.layerText(video(2, 0, 3, 1280, 720, "bandwidth", 0))).isEqualTo("switching 3→1 · 1280×720");
        assertThat(ReceivingText.layerText(video(-1, 1, 3, 640, 360, "size", 0)))
                .as("nothing forwarded yet: the first keyframe").isEqualTo("waiting for layer 2/3");
    }

    @Test
    void reasonsInPlainWordsAndTheServersWordForOneTheConsoleDoesNotKnow() {
        assertThat(List.of("size", "bandwidth", "best", "paused", "single", "whim").stream()
                .map(r -> ReceivingText.reasonText(video(0, 0, 3, 0, 0, r, 0))).toList())
                .containsExactly("fits the tile", "lowered: link", "best available", "tile hidden or muted",
                        "no simulcast", "whim");
        assertThat(ReceivingText.reasonSentence(video(0, 0, 3, 0, 0, "bandwidth", 0))).contains("link would not carry");
    }

    @Test
    void theLinkEstimateOrThatThereIsNoneYet() {
        assertThat(ReceivingText.linkText(new ReceivingSummary(2_400_000, List.of()))).isEqualTo("Link estimate 2.40 Mbit/s");
        assertThat(ReceivingText.linkText(ReceivingSummary.NONE)).isEqualTo("Link estimate not measured yet");
    }

    @Test
    void theTooltipListsEachStreamThenTheLink() {
        ReceivingSummary r = new ReceivingSummary(2_000_000, List.of(video(1, 1, 3, 640, 360, "size", 420_000),
                video(-1, -1, 3, 0, 0, "paused", 0)));
        assertThat(ReceivingText.tooltip(r)).isEqualTo("Ben · camera: layer 2/3 · 640×360 · fits the tile · 420 kbit/s\n"
                + "Ben · camera: paused · tile hidden or muted\n"
                + "Link estimate 2.00 Mbit/s (receives 420 kbit/s)");
    }

    @Test
    void aRateAndItsWholeShareOneUnitWhenTheyCan() {
        assertThat(ReceivingText.rateOf(1_800_000, 2_400_000)).isEqualTo("1.80 of 2.40 Mbit/s");
        assertThat(ReceivingText.rateOf(850_000, 2_400_000)).isEqualTo("850 kbit/s of 2.40 Mbit/s");
        assertThat(ReceivingText.rateOf(0, 2_400_000)).isEqualTo("0 of 2.40 Mbit/s");
        assertThat(ReceivingText.rateOf(2_500_000, 2_400_000)).as("more than the estimate, said as it is")
                .isEqualTo("2.50 of 2.40 Mbit/s");
    }

    static ReceivedVideoSnapshot video(int layer, int target, int layers, int width, int height, String reason, long bps) {
        return new ReceivedVideoSnapshot("u-ben", "ben-cam", "Ben · camera", layer, target, layers, width, height,
                reason, bps);
    }
}
