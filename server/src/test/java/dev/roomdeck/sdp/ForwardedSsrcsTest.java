package dev.roomdeck.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The SSRCs of the one stream the server forwards for each simulcast track of a peer. */
class ForwardedSsrcsTest {
    private final Deque<Long> candidates = new ArrayDeque<>();
    private final ForwardedSsrcs forwarded = new ForwardedSsrcs(candidates::remove);

    @Test
    void neverZeroNorAnSsrcOfThePeersSdpNorOneOfItsOtherTracks() {
        candidates.addAll(List.of(0L, 5L, 6L, 7L, 8L, 9L, 10L, 8L, 11L));

        assertThat(forwarded.assign(track("0", 1), true, Set.of(5L, 6L))).extracting(PublishedTrack::ssrc,
                PublishedTrack::rtxSsrc).containsExactly(7L, 8L);
        assertThat(forwarded.assign(track("1", 2), true, Set.of(9L))).extracting(PublishedTrack::ssrc,
                PublishedTrack::rtxSsrc).containsExactly(10L, 11L);
    }

    @Test
    void theSameTrackKeepsItsSsrcsAndACopyLeavesTheOriginalAlone() {
        candidates.addAll(List.of(7L, 8L, 20L, 21L));
        PublishedTrack first = forwarded.assign(track("0", 1), true, Set.of());

        ForwardedSsrcs next = forwarded.copy();
        assertThat(next.assign(track("0", 1), true, Set.of(1L, 2L))).isEqualTo(first);
        assertThat(next.assign(track("1", 3), false, Set.of()).ssrc()).isEqualTo(20L);
        assertThat(forwarded.assign(track("1", 3), false, Set.of()).ssrc()).as("the original did not see mid 1")
                .isEqualTo(21L);
    }

    @Test
    void aTrackThatLosesRtxGetsItsRtxSsrcBackWhenRtxReturns() {
        candidates.addAll(List.of(7L, 8L, 30L));

        assertThat(forwarded.assign(track("0", 1), true, Set.of()).rtxSsrc()).isEqualTo(8L);
        assertThat(forwarded.assign(track("0", 1), false, Set.of()).rtxSsrc()).isZero();
        assertThat(forwarded.assign(track("0", 1), true, Set.of()).rtxSsrc()).isEqualTo(8L);
    }

    @Test
    void planBTracksAreKnownByTheirFirstSimSsrc() {
        assertThat(ForwardedSsrcs.keyOf(planBTrack(100))).isEqualTo(ForwardedSsrcs.keyOf(planBTrack(100)))
                .isNotEqualTo(ForwardedSsrcs.keyOf(planBTrack(200)));
        assertThat(ForwardedSsrcs.keyOf(track("0", 1))).isNotEqualTo(ForwardedSsrcs.keyOf(track("1", 1)));
    }

    private static PublishedTrack track(String mid, long publisherSsrc) {
        return new PublishedTrack("s", "t" + mid, MediaKind.VIDEO, mid, publisherSsrc, 0, null, List.of(Fixtures.VP8),
                Map.of(), List.of(new SimulcastLayer("q", 0, 0), new SimulcastLayer("f", 0, 0)));
    }

    private static PublishedTrack planBTrack(long firstLayer) {
        return new PublishedTrack("s", "t", MediaKind.VIDEO, null, firstLayer, 0, null, List.of(Fixtures.VP8),
                Map.of(), List.of(new SimulcastLayer(null, firstLayer, 0), new SimulcastLayer(null, firstLayer + 1, 0)));
    }
}
