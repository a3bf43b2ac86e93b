package dev.roomdeck.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.room.VideoSize;
import dev.roomdeck.sdp.Codec;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.PublishedTrack;
import dev.roomdeck.sdp.SimulcastLayer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which layer fits a tile, and which fits a link: the rules a subscriber's layer is chosen by. */
class LayerChoiceTest {
    private static final long NOW = 1_000_000_000_000L;

    /** A 720p camera's three layers (plan-b SSRCs), each seen sending at {@code kbps} with its keyframe's size. */
    private static IncomingStream[] layers(int... kbps) {
        PublishedTrack t = new PublishedTrack("cam", "cam-video", MediaKind.VIDEO, null, 99, 0, "c",
                List.of(new Codec(96, "VP8", 90000, 1, null, List.of("nack", "nack pli"), -1)), Map.of(),
                List.of(new SimulcastLayer(null, 1, 0), new SimulcastLayer(null, 2, 0), new SimulcastLayer(null, 3, 0)));
        Producer p = new Producer(null, t, 7);
        IncomingStream[] s = p.streams();
        for (int i = 0; i < s.length; i++) {
            s[i].width = 320 << i;
            s[i].height = 180 << i;
            if (kbps[i] > 0) {
                s[i].lastMediaNanos = NOW;
                for (int b = 0; b < 10; b++) { // the last second, a tenth in each of the meter's buckets
                    s[i].meter.add(kbps[i] * 1000 / 8 / 10, NOW - 1_000_000_000L + b * 100_000_000L);
                }
            }
        }
        return s;
    }

    @Test
    void theSmallestLayerThatFillsTheTileElseTheLargest() {
        IncomingStream[] s = layers(150, 500, 1200);
        assertThat(LayerChoice.forSize(s, new VideoSize(200, 113), NOW)).isEqualTo(0);
        assertThat(LayerChoice.forSize(s, new VideoSize(320, 180), NOW)).isEqualTo(0);
        assertThat(LayerChoice.forSize(s, new VideoSize(427, 240), NOW)).as("320 px wide does not fill 427").isEqualTo(1);
        assertThat(LayerChoice.forSize(s, new VideoSize(1920, 1080), NOW)).as("nothing fills it: the largest").isEqualTo(2);
        assertThat(LayerChoice.forSize(s, null, NOW)).as("no wish: the best").isEqualTo(2);
        assertThat(LayerChoice.forSize(s, VideoSize.NONE, NOW)).as("hidden: none").isEqualTo(-1);
    }

    @Test
    void onlyLayersThePublisherSendsNowCount() {
        IncomingStream[] s = layers(150, 500, 0); // the browser dropped its top layer
        assertThat(LayerChoice.forSize(s, new VideoSize(1280, 720), NOW)).isEqualTo(1);
        assertThat(LayerChoice.forBudget(s, 2, -1, 10_000_000, NOW)).isEqualTo(1);
    }

    @Test
    void theHighestLayerThatFitsTheBudgetElseTheLowest() {
        IncomingStream[] s = layers(150, 500, 1200);
        assertThat(LayerChoice.forBudget(s, 2, -1, 2_000_000, NOW)).isEqualTo(2);
        assertThat(LayerChoice.forBudget(s, 2, -1, 800_000, NOW)).isEqualTo(1);
        assertThat(LayerChoice.forBudget(s, 1, -1, 2_000_000, NOW)).as("never above what the tile wants").isEqualTo(1);
        assertThat(LayerChoice.forBudget(s, 2, -1, 50_000, NOW)).as("a small picture beats none").isEqualTo(0);
    }

    @Test
    void aLayerBeingReceivedStaysThroughARateSwingThatWouldNotLetItBeChosen() {
        IncomingStream[] s = layers(150, 500, 1200);
        assertThat(LayerChoice.forBudget(s, 2, 1, 1_100_000, NOW)).as("1.2 Mbit/s does not fit 1.1: no step up").isEqualTo(1);
        assertThat(LayerChoice.forBudget(s, 2, 2, 1_100_000, NOW)).as("received already: it stays").isEqualTo(2);
        assertThat(LayerChoice.forBudget(s, 2, 2, 1_000_000, NOW)).as("1.2 is more than 1.15 times 1.0").isEqualTo(1);
    }

    @Test
    void aLayerIsJudgedByItsPeakOfTheLastSecondsNotItsLastSecond() {
        IncomingStream[] s = layers(150, 500, 1200); // 1.2 Mbit/s in the second before NOW
        assertThat(s[2].peakBitsPerSecond(NOW)).isEqualTo(1_200_000);
        long later = NOW + 2_000_000_000L;
        for (int b = 0; b < 10; b++) { // a quiet second at 600 kbit/s
            s[2].meter.add(600 * 1000 / 8 / 10, later - 1_000_000_000L + b * 100_000_000L);
        }
        s[2].lastMediaNanos = later;
        s[1].lastMediaNanos = later;
        s[0].lastMediaNanos = later;
        assertThat(s[2].meter.bitsPerSecond(later)).isEqualTo(600_000);
        assertThat(LayerChoice.forBudget(s, 2, 1, 1_000_000, later)).as("its peak is still 1.2").isEqualTo(1);
        assertThat(s[2].peakBitsPerSecond(later + 3_000_000_000L)).as("the peak is forgotten after 4 s").isLessThan(1_200_000);
    }

    @Test
    void aLayerWhoseSizeNoKeyframeSaidYetIsDerivedFromOneThatDid() {
        IncomingStream[] s = layers(150, 500, 1200);
        s[0].width = 0;
        s[0].height = 0;
        s[1].width = 0;
        s[1].height = 0;
        assertThat(LayerChoice.width(s, 0)).isEqualTo(320);
        assertThat(LayerChoice.height(s, 1)).isEqualTo(360);
    }
}
